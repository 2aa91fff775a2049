package io.distillmesh.core.distill;

import picocli.CommandLine.Option;

/**
 * The {@code -M/-S/-E} options of a command that distils (a picocli mixin): images per class, distilled batches and
 * epochs, for a {@link DistillationSchedule}. Each command sets its own defaults:
 * {@code @Mixin DistillationScheduleOptions schedule = new DistillationScheduleOptions(1, 10, 3);}.
 */
public final class DistillationScheduleOptions {
    @Option(names = {"-M", "--images-per-class"}, description = "images of each class per distilled batch (default: ${DEFAULT-VALUE})")
    int imagesPerClass;
    @Option(names = {"-S", "--steps"}, description = "distilled batches = inner steps per epoch (default: ${DEFAULT-VALUE})")
    int steps;
    @Option(names = {"-E", "--epochs"}, description = "passes over the distilled batches (default: ${DEFAULT-VALUE})")
    int epochs;

    public DistillationScheduleOptions(int imagesPerClass, int steps, int epochs) {
        this.imagesPerClass = imagesPerClass;
        this.steps = steps;
        this.epochs = epochs;
    }

    /** The schedule of the options, for {@code classes} classes. */
    public DistillationSchedule schedule(int classes) {
        return new DistillationSchedule(imagesPerClass, steps, epochs, classes);
    }
}
