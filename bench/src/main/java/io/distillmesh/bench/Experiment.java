package io.distillmesh.bench;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** One distillation experiment: loads the data and the teacher's soft targets, runs its arms, prints the table. */
abstract class Experiment implements Callable<Integer> {
    @Mixin
    ExperimentOptions options;
    @Spec
    CommandSpec spec;

    /** Runs every arm for every seed, adding the outcomes to {@code table}. */
    abstract void run(ExperimentData data, StudentRunner runner, ResultTable table);

    /** One line on the choices that matter (network, data, epochs). */
    abstract String setup();

    @Override
    public final Integer call() {
        long start = System.nanoTime();
        System.out.println("command: distillation-experiments " + String.join(" ", spec.root().commandLine()
                .getParseResult().originalArgs()));
        System.out.println("machine: " + Machine.describe());
        System.out.println("setup: " + setup() + ", batch " + options.batch + ", seeds " + options.seeds);
        ExperimentData data = ExperimentData.load(options.dataDir.dir(), options.teacher);
        ResultTable table = new ResultTable();
        run(data, new StudentRunner(data, options.batch, options.progress), table);
        table.addReference("teacher " + options.teacher.getFileName() + " (reference)", data.teacherTestAccuracy(), data.teacherTrainAccuracy());
        System.out.println();
        System.out.print(table.markdown());
        System.out.printf("%nwall time: %.1f min%n", (System.nanoTime() - start) / 60e9);
        return 0;
    }
}
