package io.distillmesh.core.specialist;

import io.distillmesh.core.loss.SoftAndHardLabels;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.train.SoftBatchBuilder;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A specialist's classes: the reduction of distributions and labels, and which streamed samples it keeps. */
class ClassReductionTest {
    private static final ClassReduction UPPER_BODY = new ClassReduction(new int[]{6, 0, 2, 4}, 10);

    @Test
    void distributionsKeepTheGroupsColumnsInOrderAndSumTheRestIntoTheDustbin() {
        INDArray p = TemperatureSoftmax.softmax(Nd4j.createFromArray(new double[][]{
                {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, {0, 0, 0, 0, 0, 0, 0, 0, 0, 9}}), 2.0);
        INDArray r = UPPER_BODY.reduce(p);
        for (int row = 0; row < 2; row++) {
            assertEquals(p.getDouble(row, 6), r.getDouble(row, 0), 1e-12);
            assertEquals(p.getDouble(row, 0), r.getDouble(row, 1), 1e-12);
            assertEquals(p.getDouble(row, 2), r.getDouble(row, 2), 1e-12);
            assertEquals(p.getDouble(row, 4), r.getDouble(row, 3), 1e-12);
            double rest = p.getDouble(row, 1) + p.getDouble(row, 3) + p.getDouble(row, 5) + p.getDouble(row, 7)
                    + p.getDouble(row, 8) + p.getDouble(row, 9);
            assertEquals(rest, r.getDouble(row, 4), 1e-12);
        }
        assertEquals(4, UPPER_BODY.reducedClass(9));
        assertEquals(1, UPPER_BODY.reducedClass(0));
    }

    @Test
    void impossibleGroupsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClassReduction(new int[]{}, 10));
        assertThrows(IllegalArgumentException.class, () -> new ClassReduction(new int[]{1, 1}, 10));
        assertThrows(IllegalArgumentException.class, () -> new ClassReduction(new int[]{3, 10}, 10));
        assertThrows(IllegalArgumentException.class, () -> new ClassReduction(new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 10));
    }

    @Test
    void aSpecialistKeepsItsWholeGroupAndAboutAsManyOfTheRestTheSameOnEveryPass() {
        SpecialistSampling sampling = SpecialistSampling.balanced(UPPER_BODY, 11);
        long keptOfTheRest = LongStream.range(0, 60_000).filter(id -> sampling.keeps(id, 9)).count();
        assertEquals(60_000 * 4.0 / 6, keptOfTheRest, 60_000 * 0.01, "4 group classes against 6 others");
        assertTrue(LongStream.range(0, 1000).allMatch(id -> sampling.keeps(id, 2)));
        assertTrue(LongStream.range(0, 1000).allMatch(id -> sampling.keeps(id, 9) == sampling.keeps(id, 7)));
        SpecialistSampling other = SpecialistSampling.balanced(UPPER_BODY, 12);
        assertFalse(LongStream.range(0, 1000).allMatch(id -> sampling.keeps(id, 9) == other.keeps(id, 9)));
    }

    @Test
    void aSpecialistsBatchCarriesTheReducedRetemperedTargetsAndReducedLabels() {
        SoftBatchBuilder builder = new SoftBatchBuilder(2, 3, 10, 2.0, UPPER_BODY);
        float[] logits = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        INDArray logProbsAt4 = TemperatureSoftmax.logSoftmax(Nd4j.createFromArray(logits).reshape(1, 10), 4.0);
        builder.add(new float[]{0.1f, 0.2f, 0.3f}, 7, logProbsAt4.toFloatVector(), 4f);
        builder.add(new float[]{0.4f, 0.5f, 0.6f}, 2, logProbsAt4.toFloatVector(), 4f);
        DataSet batch = builder.build();
        INDArray labels = batch.getLabels();
        assertEquals(10, labels.size(1), "soft and hard parts over 4 classes + dustbin");
        INDArray expectedSoft = UPPER_BODY.reduce(TemperatureSoftmax.softmax(
                Nd4j.createFromArray(logits).reshape(1, 10).castTo(DataType.FLOAT), 2.0));
        SoftAndHardLabels parts = SoftAndHardLabels.unpack(labels, 5);
        assertArrayEquals(expectedSoft.toFloatVector(), parts.teacherProbabilities().getRow(0).toFloatVector(), 1e-5f);
        assertArrayEquals(new float[]{0, 0, 0, 0, 1}, parts.hardLabels().getRow(0).toFloatVector());
        assertArrayEquals(new float[]{0, 0, 1, 0, 0}, parts.hardLabels().getRow(1).toFloatVector());
    }
}
