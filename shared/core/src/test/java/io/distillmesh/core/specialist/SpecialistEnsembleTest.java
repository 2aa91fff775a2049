package io.distillmesh.core.specialist;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecialistEnsembleTest {
    private static final double[] GENERALIST = {0.45, 0.40, 0.10, 0.05};
    private static final SpecialistOpinion ZERO_ONE = new SpecialistOpinion(new int[]{0, 1}, new double[]{0.10, 0.85, 0.05});
    private static final SpecialistOpinion TWO_THREE = new SpecialistOpinion(new int[]{2, 3}, new double[]{0.5, 0.3, 0.2});

    @Test
    void objectiveGradientMatchesFiniteDifferences() {
        double[] z = {0.3, -1.2, 0.7, 0.05};
        double[] analytic = SpecialistEnsemble.gradient(z, GENERALIST, List.of(ZERO_ONE, TWO_THREE));
        double h = 1e-6;
        for (int k = 0; k < z.length; k++) {
            double[] plus = z.clone();
            plus[k] += h;
            double[] minus = z.clone();
            minus[k] -= h;
            double numeric = (SpecialistEnsemble.objective(plus, GENERALIST, List.of(ZERO_ONE, TWO_THREE))
                    - SpecialistEnsemble.objective(minus, GENERALIST, List.of(ZERO_ONE, TWO_THREE))) / (2 * h);
            assertEquals(numeric, analytic[k], 1e-7 * Math.max(1, Math.abs(numeric)), "z_" + k);
        }
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
        double[] g = SpecialistEnsemble.gradient(z, GENERALIST, List.of(ZERO_ONE));
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
}
