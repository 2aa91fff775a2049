package io.distillmesh.core.specialist;

import java.util.Arrays;

/**
 * One specialist's distribution for one sample over its reduced class set: its classes (indices into the full set)
 * and a last "dustbin" entry for every other class.
 */
public record SpecialistOpinion(int[] classes, double[] probabilities) {
    public SpecialistOpinion {
        if (classes.length < 1 || probabilities.length != classes.length + 1) {
            throw new IllegalArgumentException("a specialist of " + classes.length + " classes needs "
                    + (classes.length + 1) + " probabilities (its classes, then the dustbin), got " + probabilities.length);
        }
        classes = classes.clone();
        probabilities = probabilities.clone();
    }

    public boolean covers(int fullClass) {
        return Arrays.stream(classes).anyMatch(c -> c == fullClass);
    }
}
