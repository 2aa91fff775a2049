package io.distillmesh.core.specialist;

import java.util.SplittableRandom;

/**
 * Which streamed samples a specialist trains on: every sample of its group, and of the rest a fixed, seeded share
 * chosen so that about half of what it sees is its group (Hinton et al. 2015, section 5). The choice depends only on
 * the sample id, so every pass and every restart sees the same samples.
 */
public record SpecialistSampling(ClassReduction reduction, double restShare, long seed) {
    public SpecialistSampling {
        if (!(restShare > 0 && restShare <= 1)) {
            throw new IllegalArgumentException("the share of the rest must be in (0, 1], got " + restShare);
        }
    }

    /** Half and half on a data set whose classes are equally frequent (as Fashion-MNIST's are). */
    public static SpecialistSampling balanced(ClassReduction reduction, long seed) {
        int group = reduction.size() - 1;
        return new SpecialistSampling(reduction, Math.min(1.0, group / (double) (reduction.fullClasses() - group)), seed);
    }

    /** @param fullClass the sample's class: its label, or the generalist's most probable class when it has none */
    public boolean keeps(long sampleId, int fullClass) {
        return reduction.covers(fullClass) || uniform(sampleId) < restShare;
    }

    private double uniform(long sampleId) {
        return new SplittableRandom(sampleId ^ seed).nextDouble();
    }
}
