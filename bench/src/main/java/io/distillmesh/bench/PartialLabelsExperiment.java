package io.distillmesh.bench;

import io.distillmesh.core.model.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * Experiment 3, the streaming case: labels for only a seeded random subset of the train set, the teacher's soft
 * targets for all of it. The baseline trains on the labelled subset; the KD student on everything.
 */
@Command(name = "partial", mixinStandardHelpOptions = true,
        description = "Few labels, soft targets for all: baseline on the labelled subset vs KD on every image.")
final class PartialLabelsExperiment extends Experiment {
    @Option(names = "--hidden", split = ",", defaultValue = "64", description = "hidden widths (default: ${DEFAULT-VALUE})")
    int[] hidden;
    @Option(names = "--labelled", defaultValue = "5000", description = "how many train images keep their label (default: ${DEFAULT-VALUE})")
    int labelled;
    @Option(names = "--epochs", defaultValue = "10", description = "epochs for both arms (default: ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--temperatures", split = ",", defaultValue = "2,4", description = "one KD arm per T (default: ${DEFAULT-VALUE})")
    List<Double> temperatures;
    @Option(names = "--alpha", defaultValue = "0.9")
    double alpha;
    @Option(names = "--no-step-matched-baseline",
            description = "skip the extra baseline trained for as many SGD steps as the KD arm (more epochs on the labelled subset)")
    boolean noStepMatchedBaseline;

    @Override
    String setup() {
        return String.format("%s, %d train images labelled (random subset, drawn per seed), %d epochs, KD T %s α=%s%s",
                ModelSpec.mlp(0, hidden).describe(), labelled, epochs, temperatures, alpha,
                !noStepMatchedBaseline ? ", plus a baseline with as many steps as KD" : "");
    }

    @Override
    void run(ExperimentData data, StudentRunner runner, ResultTable table) {
        int[] labels = data.train().labels();
        for (long seed : options.seeds) {
            ModelSpec spec = ModelSpec.mlp(seed, hidden);
            int[] labelledIds = TrainingSet.randomIds(labels.length, labelled, seed);
            TrainingSet onlyLabelled = TrainingSet.only(labels, labelledIds);
            TrainingSet everything = TrainingSet.partiallyLabelled(labels, labelledIds);
            run(runner, table, StudentArm.baseline(), spec, onlyLabelled, epochs, seed);
            for (double t : temperatures) {
                run(runner, table, StudentArm.distilled(t, alpha), spec, everything, epochs, seed);
            }
            if (!noStepMatchedBaseline) {
                int matchedEpochs = epochs * everything.size() / onlyLabelled.size();
                run(runner, table, StudentArm.baseline(), spec, onlyLabelled, matchedEpochs, seed);
            }
        }
    }

    private static void run(StudentRunner runner, ResultTable table, StudentArm arm, ModelSpec spec, TrainingSet set,
                            int epochs, long seed) {
        table.add(arm.label() + ", " + set.name() + ", " + epochs + " epochs",
                runner.run(arm, spec, set, epochs, seed, null));
    }
}
