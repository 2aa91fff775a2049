package io.distillmesh.bench;

import io.distillmesh.core.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** Experiment 1: a small MLP on the full labelled train set, T × α grid against the hard-label baseline. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "MLP student on the labelled train set: every T × α against the hard-label baseline (α = 0).")
final class SweepExperiment extends Experiment {
    @Option(names = "--hidden", split = ",", defaultValue = "64", description = "hidden widths (default: ${DEFAULT-VALUE})")
    int[] hidden;
    @Option(names = "--epochs", defaultValue = "3", description = "epochs for every arm (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--train-limit", defaultValue = "60000", description = "use the first N train images (default: ${DEFAULT-VALUE})")
    int trainLimit;
    @Option(names = "--temperatures", split = ",", defaultValue = "1,2,4,8")
    List<Double> temperatures;
    @Option(names = "--alphas", split = ",", defaultValue = "0.1,0.5,0.9")
    List<Double> alphas;

    @Override
    String setup() {
        return String.format("%s, %d labelled train images, %d epochs, T %s × α %s", ModelSpec.mlp(0, hidden).describe(),
                trainLimit, epochs, temperatures, alphas);
    }

    @Override
    void run(ExperimentData data, StudentRunner runner, ResultTable table) {
        TrainingSet set = TrainingSet.head(data.train().labels(), trainLimit);
        for (long seed : options.seeds) {
            ModelSpec spec = ModelSpec.mlp(seed, hidden);
            table.add(runner.run(StudentArm.baseline(), spec, set, epochs, seed, null));
            for (double t : temperatures) {
                for (double alpha : alphas) {
                    table.add(runner.run(StudentArm.distilled(t, alpha), spec, set, epochs, seed, null));
                }
            }
        }
    }
}
