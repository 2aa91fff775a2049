package io.distillmesh.core.specialist;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConfusionGroupsTest {
    @Test
    void classesPredictedTogetherEndUpInOneGroup() {
        Random rnd = new Random(4);
        float[][] predictions = new float[600][6];
        for (int i = 0; i < predictions.length; i++) {
            int kind = i % 4;
            float a = 0.2f + 0.6f * rnd.nextFloat();
            switch (kind) {
                case 0 -> { predictions[i][0] = a; predictions[i][1] = 1 - a; }
                case 1 -> { predictions[i][2] = a; predictions[i][3] = 1 - a; }
                case 2 -> { predictions[i][4] = 0.97f; predictions[i][5] = 0.03f; }
                default -> { predictions[i][5] = 0.97f; predictions[i][4] = 0.03f; }
            }
        }
        List<int[]> groups = ConfusionGroups.find(predictions, 4, 1);
        assertEquals(2, groups.size(), "two confusable pairs; the clean classes stay alone");
        assertArrayEquals(new int[]{0, 1}, groups.get(0));
        assertArrayEquals(new int[]{2, 3}, groups.get(1));
    }

    @Test
    void covarianceOfPredictionsIsTheSampleCovariance() {
        float[][] p = {{1, 0}, {0, 1}, {0.5f, 0.5f}};
        double[][] cov = ConfusionGroups.covariance(p);
        assertEquals(0.25, cov[0][0], 1e-9);
        assertEquals(-0.25, cov[0][1], 1e-9);
        assertThrows(IllegalArgumentException.class, () -> ConfusionGroups.find(p, 3, 1));
    }

    @Test
    void mostConfusedPairsAddBothDirectionsOfAMistake() {
        int[] labels = {0, 0, 1, 1, 2, 2, 2, 3, 3, 3};
        int[] predicted = {1, 0, 0, 1, 3, 3, 1, 2, 3, 3};
        List<int[]> pairs = ConfusionGroups.mostConfusedPairs(predicted, labels, 4, 5);
        assertEquals(3, pairs.size(), "pairs never confused are left out");
        assertArrayEquals(new int[]{2, 3}, pairs.get(0), "2↔3: three mistakes");
        assertArrayEquals(new int[]{0, 1}, pairs.get(1), "0↔1: two mistakes, one each way");
        assertArrayEquals(new int[]{1, 2}, pairs.get(2));
        assertEquals(1, ConfusionGroups.mostConfusedPairs(predicted, labels, 4, 1).size());
    }
}
