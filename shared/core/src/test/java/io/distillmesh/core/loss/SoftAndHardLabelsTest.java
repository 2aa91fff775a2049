package io.distillmesh.core.loss;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftAndHardLabelsTest {
    private static final INDArray TEACHER = Nd4j.createFromArray(new double[][]{{0.2, 0.3, 0.5}, {0.6, 0.3, 0.1}});
    private static final INDArray HARD = Nd4j.createFromArray(new double[][]{{0, 1, 0}, {0, 0, 0}});

    @Test
    void packsTeacherProbabilitiesThenHardLabelsAndUnpacksThem() {
        INDArray packed = new SoftAndHardLabels(TEACHER, HARD).packed();
        assertArrayEquals(new long[]{2, 6}, packed.shape());
        assertArrayEquals(new double[]{0.2, 0.3, 0.5, 0, 1, 0}, packed.getRow(0).toDoubleVector());
        assertArrayEquals(new double[]{0.6, 0.3, 0.1, 0, 0, 0}, packed.getRow(1).toDoubleVector());
        SoftAndHardLabels unpacked = SoftAndHardLabels.unpack(packed, 3);
        assertEquals(TEACHER, unpacked.teacherProbabilities());
        assertEquals(HARD, unpacked.hardLabels());
        assertEquals(packed, KnowledgeDistillationLoss.labels(TEACHER, HARD), "the loss packs them the same way");
    }

    @Test
    void refusesHalvesOfDifferentShapesAndLabelsOfTheWrongWidth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SoftAndHardLabels(TEACHER, Nd4j.zeros(DataType.DOUBLE, 2, 4)));
        assertTrue(e.getMessage().contains("[2, 3] and [2, 4]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SoftAndHardLabels.unpack(TEACHER, 3));
        assertTrue(e.getMessage().contains("expected labels [2, 6] (teacher probabilities then hard labels)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SoftAndHardLabels.requirePacked(Nd4j.zeros(DataType.DOUBLE, 3, 6), 2, 3));
        assertTrue(e.getMessage().contains("got [3, 6]"), e.getMessage());
    }
}
