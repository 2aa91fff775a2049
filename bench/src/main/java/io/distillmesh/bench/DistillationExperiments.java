package io.distillmesh.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Knowledge-distillation accuracy experiments on Fashion-MNIST with the shipped CNN teacher; results go to
 * docs/BENCHMARKS.md ("Knowledge distillation: accuracy"). Run from the repository root.
 */
@Command(name = "distillation-experiments", mixinStandardHelpOptions = true,
        subcommands = {SweepExperiment.class, OverfitExperiment.class, PartialLabelsExperiment.class},
        description = "Test accuracy of distilled students vs the hard-label baseline, mean ± std over seeds.")
public final class DistillationExperiments implements Runnable {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DistillationExperiments()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
