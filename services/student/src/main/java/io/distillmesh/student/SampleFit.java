package io.distillmesh.student;

import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.messaging.records.SoftTargetRecord;

import java.util.Optional;

/**
 * Whether a decoded soft-target record fits a student's network: its input length, its class count, a label among
 * those classes (or none), pixel intensities in [0, 1] (the images every data set here holds) and finite
 * log-probabilities (−∞ decodes, as a probability of 0, but makes the training loss NaN). A record can decode and
 * still not fit, e.g. one from another run's teacher.
 */
record SampleFit(int features, int classes) {
    static SampleFit of(StudentSpec spec) {
        int classes = spec.residual() ? spec.resnet().numClasses()
                : spec.isSpecialist() ? spec.specialist().reduction().fullClasses() : spec.model().numClasses();
        return new SampleFit(ModelSpec.INPUT_FEATURES, classes);
    }

    /** Why the student cannot train on {@code sample}; empty when it can. */
    Optional<String> problem(SoftTargetRecord sample) {
        String id = "sample " + sample.sampleId();
        if (sample.input().length != features) {
            return Optional.of(id + " has " + sample.input().length + " input values, the student's network takes "
                    + features);
        }
        if (sample.logProbs().length != classes) {
            return Optional.of(id + " has " + sample.logProbs().length + " classes, the student's network has "
                    + classes);
        }
        if (sample.label() < SoftTargetRecord.UNLABELLED || sample.label() >= classes) {
            return Optional.of(id + " has label " + sample.label() + ", the student's classes are 0.." + (classes - 1));
        }
        for (int i = 0; i < features; i++) {
            if (!(sample.input()[i] >= 0f && sample.input()[i] <= 1f)) {
                return Optional.of(id + " has input value " + sample.input()[i] + " at index " + i
                        + ", pixel intensities are in [0, 1]");
            }
        }
        for (int c = 0; c < classes; c++) {
            if (!Float.isFinite(sample.logProbs()[c])) {
                return Optional.of(id + " has log-probability " + sample.logProbs()[c] + " at class " + c);
            }
        }
        return Optional.empty();
    }
}
