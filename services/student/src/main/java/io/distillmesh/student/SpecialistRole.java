package io.distillmesh.student;

import io.distillmesh.core.specialist.ClassReduction;
import io.distillmesh.core.specialist.SpecialistSampling;
import io.vertx.core.json.JsonArray;

import java.util.Arrays;

/**
 * What makes a student a specialist (Hinton et al. 2015, section 5): its group of the generalist's classes, the
 * generalist's model file it starts from, and the optimiser settings of its fine-tuning. It trains on the
 * generalist's own soft-target stream: its group and about as many samples of the rest, with the rest merged into
 * a dustbin class.
 */
public record SpecialistRole(int[] classes, String generalistModel, double learningRate, long seed) {
    public static final int FULL_CLASSES = 10;

    public SpecialistRole {
        classes = classes.clone();
        new ClassReduction(classes, FULL_CLASSES);
        if (generalistModel == null || generalistModel.isBlank()) {
            throw new IllegalArgumentException("a specialist needs the generalist's model file (generalist)");
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learningRate must be > 0, got " + learningRate);
        }
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    public ClassReduction reduction() {
        return new ClassReduction(classes, FULL_CLASSES);
    }

    public SpecialistSampling sampling() {
        return SpecialistSampling.balanced(reduction(), seed);
    }

    JsonArray classesJson() {
        return new JsonArray(Arrays.stream(classes).boxed().toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecialistRole r && Arrays.equals(r.classes, classes) && r.generalistModel.equals(generalistModel)
                && r.learningRate == learningRate && r.seed == seed;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(classes) * 31 + generalistModel.hashCode();
    }
}
