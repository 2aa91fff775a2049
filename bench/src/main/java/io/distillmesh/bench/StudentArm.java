package io.distillmesh.bench;

import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.train.StudentTrainer;

/** One arm of an experiment: the student's temperature T and soft-target weight α (α = 0: hard-label baseline). */
record StudentArm(double temperature, double alpha) {
    static StudentArm baseline() {
        return new StudentArm(1, 0);
    }

    static StudentArm distilled(double temperature, double alpha) {
        return new StudentArm(temperature, alpha);
    }

    boolean isBaseline() {
        return alpha == 0;
    }

    StudentTrainer trainer(ModelSpec spec) {
        return StudentTrainer.create(spec, temperature, alpha);
    }

    String label() {
        return isBaseline() ? "baseline (hard labels, α=0)" : String.format("KD T=%s α=%s", plain(temperature), plain(alpha));
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
