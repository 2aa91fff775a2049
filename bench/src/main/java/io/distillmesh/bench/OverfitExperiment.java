package io.distillmesh.bench;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Experiment 2: Hinton's MNIST setting scaled down: a large unregularised MLP trained long on a subset. */
@Command(name = "overfit", mixinStandardHelpOptions = true,
        description = "Large MLP without regularisation, trained long on the first N train images: baseline vs KD.")
final class OverfitExperiment extends Experiment {
    @Option(names = "--hidden", split = ",", defaultValue = "800,800", description = "hidden widths (default: ${DEFAULT-VALUE})")
    int[] hidden;
    @Option(names = "--subset", defaultValue = "10000", description = "train on the first N train images (default: ${DEFAULT-VALUE})")
    int subset;
    @Option(names = "--epochs", defaultValue = "50", description = "epochs for both arms (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--temperature", defaultValue = "4")
    double temperature;
    @Option(names = "--alpha", defaultValue = "0.9")
    double alpha;

    @Override
    String setup() {
        return String.format("%s (no dropout, no weight decay), first %d train images, %d epochs, KD T=%s α=%s",
                ModelSpec.mlp(0, hidden).describe(), subset, epochs, temperature, alpha);
    }

    @Override
    void run(ExperimentData data, StudentRunner runner, ResultTable table) {
        TrainingSet set = TrainingSet.head(data.train().labels(), subset);
        LabelledImages trainImages = data.train().head(subset);
        for (long seed : options.seeds) {
            ModelSpec spec = ModelSpec.mlp(seed, hidden);
            table.add(runner.run(StudentArm.baseline(), spec, set, epochs, seed, trainImages));
            table.add(runner.run(StudentArm.distilled(temperature, alpha), spec, set, epochs, seed, trainImages));
        }
    }
}
