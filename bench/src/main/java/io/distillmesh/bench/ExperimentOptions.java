package io.distillmesh.bench;

import io.distillmesh.core.data.DataDirOption;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** Options shared by every distillation experiment. */
final class ExperimentOptions {
    @Option(names = "--teacher", defaultValue = "models/teacher-cnn.zip", description = "teacher model file (default: ${DEFAULT-VALUE})")
    Path teacher;
    @Mixin
    DataDirOption dataDir;
    @Option(names = "--seeds", split = ",", defaultValue = "1,2,3",
            description = "one run per seed; a seed fixes the student's initial weights and the batch order (default: ${DEFAULT-VALUE})")
    List<Long> seeds;
    @Option(names = "--batch", defaultValue = "128", description = "student minibatch size (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--progress", description = "show a progress bar per run")
    boolean progress;
}
