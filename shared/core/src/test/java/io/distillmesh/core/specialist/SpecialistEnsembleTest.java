package io.distillmesh.core.specialist;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecialistEnsembleTest {
    private static final double[] GENERALIST = {0.45, 0.40, 0.10, 0.05};
    private static final SpecialistOpinion ZERO_ONE = new SpecialistOpinion(new int[]{0, 1}, new double[]{0.10, 0.85, 0.05});
    private static final SpecialistOpinion TWO_THREE = new SpecialistOpinion(new int[]{2, 3}, new double[]{0.5, 0.3, 0.2});

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 0.3, 2.5})
    void objectiveGradientMatchesFiniteDifferences(double weight) {
        double[] z = {0.3, -1.2, 0.7, 0.05};
        List<SpecialistOpinion> specialists = List.of(ZERO_ONE, TWO_THREE);
        double[] analytic = SpecialistEnsemble.gradient(z, GENERALIST, specialists, weight);
        double h = 1e-6;
        for (int k = 0; k < z.length; k++) {
            double[] plus = z.clone();
            plus[k] += h;
            double[] minus = z.clone();
            minus[k] -= h;
            double numeric = (SpecialistEnsemble.objective(plus, GENERALIST, specialists, weight)
                    - SpecialistEnsemble.objective(minus, GENERALIST, specialists, weight)) / (2 * h);
            assertEquals(numeric, analytic[k], 1e-7 * Math.max(1, Math.abs(numeric)), "z_" + k + ", weight " + weight);
        }
    }

    @Test
    void predictionsAreEachSamplesCombinedArgmax() {
        SpecialistEnsemble ensemble = SpecialistEnsemble.standard();
        double[][] generalist = {GENERALIST, {0.05, 0.10, 0.40, 0.45}};
        int[] predicted = ensemble.predictions(generalist, List.of(List.of(ZERO_ONE, TWO_THREE), List.of()));
        assertArrayEquals(new int[]{1, 3}, predicted, "the specialist turns the first sample to class 1; the second,"
                + " with no specialist, keeps the generalist's class 3");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ensemble.predictions(generalist, List.of(List.of())));
        assertTrue(e.getMessage().contains("2 generalist rows but 1 opinion rows"), e.getMessage());
    }

    @Test
    void aConfidentSpecialistDecidesBetweenTheClassesItKnows() {
        SpecialistEnsemble ensemble = SpecialistEnsemble.standard();
        double[] q = ensemble.combine(GENERALIST, List.of(ZERO_ONE, TWO_THREE));
        assertTrue(q[1] > q[0], "the specialist's class 1 wins: " + java.util.Arrays.toString(q));
        assertEquals(1.0, q[0] + q[1] + q[2] + q[3], 1e-12);
        double[] z = new double[4];
        for (int k = 0; k < 4; k++) {
            z[k] = Math.log(q[k]);
        }
        double[] g = SpecialistEnsemble.gradient(z, GENERALIST, List.of(ZERO_ONE), 1.0);
        for (double gk : g) {
            assertEquals(0, gk, 1e-6, "q is a stationary point of the objective with the relevant specialist only");
        }
    }

    @Test
    void onlySpecialistsCoveringTheGeneralistsTopClassAreConsulted() {
        SpecialistEnsemble ensemble = SpecialistEnsemble.standard();
        assertEquals(List.of(ZERO_ONE), ensemble.relevant(GENERALIST, List.of(ZERO_ONE, TWO_THREE)));
        double[] other = {0.05, 0.05, 0.6, 0.3};
        assertArrayEquals(other, ensemble.combine(other, List.of(ZERO_ONE)), 0.0, "no relevant specialist: p_g as is");
    }

    @Test
    void aSpecialistThatAgreesWithTheGeneralistChangesNothing() {
        double[] agreeing = new ClassReduction(new int[]{0, 1}, GENERALIST.length).reduce(GENERALIST);
        double[] q = SpecialistEnsemble.standard().combine(GENERALIST,
                List.of(new SpecialistOpinion(new int[]{0, 1}, agreeing)));
        assertArrayEquals(GENERALIST, q, 1e-9);
    }

    @Test
    void sharedWeightsMakeCopiesOfOneSpecialistCountOnce() {
        SpecialistEnsemble shared = SpecialistEnsemble.standard().weighted(new SpecialistWeighting(1.0, true));
        double[] once = SpecialistEnsemble.standard().combine(GENERALIST, List.of(ZERO_ONE));
        double[] fiveTimes = shared.combine(GENERALIST, List.of(ZERO_ONE, ZERO_ONE, ZERO_ONE, ZERO_ONE, ZERO_ONE));
        assertArrayEquals(once, fiveTimes, 1e-9);
        double[] outvoted = SpecialistEnsemble.standard().combine(GENERALIST,
                List.of(ZERO_ONE, ZERO_ONE, ZERO_ONE, ZERO_ONE, ZERO_ONE));
        assertTrue(outvoted[1] > once[1] + 0.05, "with equal weights five copies pull harder than one: "
                + java.util.Arrays.toString(outvoted) + " vs " + java.util.Arrays.toString(once));
    }

    @Test
    void heavierSpecialistsMoveTheResultFurtherFromTheGeneralist() {
        double previous = GENERALIST[1];
        for (double scale : new double[]{0.25, 1, 4, 16}) {
            double[] q = SpecialistEnsemble.standard().weighted(new SpecialistWeighting(scale, false))
                    .combine(GENERALIST, List.of(ZERO_ONE));
            assertTrue(q[1] > previous, "class 1 rises with the weight " + scale + ": " + java.util.Arrays.toString(q));
            previous = q[1];
        }
        assertEquals(ZERO_ONE.probabilities()[1], previous, 0.03, "a heavy specialist's distribution prevails");
    }

    @Test
    void heavyWeightsAndManySpecialistsStillConvergeToAStationaryPoint() {
        SpecialistOpinion zeroTwo = new SpecialistOpinion(new int[]{0, 2}, new double[]{0.7, 0.2, 0.1});
        SpecialistOpinion zeroThree = new SpecialistOpinion(new int[]{0, 3}, new double[]{0.3, 0.6, 0.1});
        List<SpecialistOpinion> three = List.of(ZERO_ONE, zeroTwo, zeroThree);
        for (SpecialistWeighting weighting : List.of(new SpecialistWeighting(4, false), new SpecialistWeighting(0.25, true))) {
            double[] q = SpecialistEnsemble.standard().weighted(weighting).combine(GENERALIST, three);
            double[] z = java.util.Arrays.stream(q).map(Math::log).toArray();
            double[] g = SpecialistEnsemble.gradient(z, GENERALIST, three, weighting.weight(three.size()));
            for (double gk : g) {
                assertEquals(0, gk, 1e-6, weighting + ": q is stationary, " + java.util.Arrays.toString(g));
            }
        }
    }

    @Test
    void theCandidatesStartWithThePapersWeightingAndRepeatNone() {
        List<SpecialistWeighting> candidates = SpecialistWeighting.candidates(0.5, 1, 2);
        assertEquals(SpecialistWeighting.EQUAL, candidates.get(0));
        assertEquals(6, candidates.size(), candidates.toString());
        assertEquals(candidates.size(), new java.util.HashSet<>(candidates).size());
        assertEquals(0.5, new SpecialistWeighting(2, true).weight(4), 0.0);
        assertEquals(2, new SpecialistWeighting(2, false).weight(4), 0.0);
    }
}
