package io.distillmesh.core.specialist;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeldOutWeightingTest {
    private static final double[] GENERALIST = {0.45, 0.40, 0.10, 0.05};
    private static final SpecialistOpinion LEANS_TO_ONE = new SpecialistOpinion(new int[]{0, 1}, new double[]{0.40, 0.55, 0.05});
    private static final List<SpecialistWeighting> CANDIDATES = SpecialistWeighting.candidates(0.25, 1, 4);

    @Test
    void aSpecialistRightOnTheHeldOutImagesGetsWeightEnoughToDecide() {
        HeldOutWeighting.Choice choice = choose(1);
        assertEquals(1.0, max(choice.accuracies()), 0.0);
        assertTrue(min(choice.accuracies()) == 0.0, "a light weight leaves the generalist's wrong answer: "
                + Arrays.toString(choice.accuracies()));
        double[] q = SpecialistEnsemble.standard().weighted(choice.best()).combine(GENERALIST, List.of(LEANS_TO_ONE));
        assertTrue(q[1] > q[0], choice.best() + " lets the specialist decide: " + Arrays.toString(q));
    }

    @Test
    void aSpecialistWrongOnTheHeldOutImagesIsWeighedLightly() {
        HeldOutWeighting.Choice choice = choose(0);
        assertEquals(1.0, max(choice.accuracies()), 0.0);
        double[] q = SpecialistEnsemble.standard().weighted(choice.best()).combine(GENERALIST, List.of(LEANS_TO_ONE));
        assertTrue(q[0] > q[1], choice.best() + " keeps the generalist's answer: " + Arrays.toString(q));
    }

    @Test
    void mismatchedInputsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HeldOutWeighting.choose(SpecialistEnsemble.standard(),
                new double[][]{GENERALIST}, List.of(), new int[]{0}, CANDIDATES));
        assertThrows(IllegalArgumentException.class, () -> HeldOutWeighting.choose(SpecialistEnsemble.standard(),
                new double[][]{GENERALIST}, List.of(List.of(LEANS_TO_ONE)), new int[]{0}, List.of()));
    }

    private static HeldOutWeighting.Choice choose(int label) {
        int n = 20;
        double[][] generalist = new double[n][];
        Arrays.fill(generalist, GENERALIST);
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        return HeldOutWeighting.choose(SpecialistEnsemble.standard(), generalist,
                Collections.nCopies(n, List.of(LEANS_TO_ONE)), labels, CANDIDATES);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }
}
