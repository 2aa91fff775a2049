package io.distillmesh.core.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FloatArraysTest {
    @Test
    void holdsTheFirstValuesInRowMajorOrderAndRefusesTooFew() {
        float[] values = {1, 2, 3, 4, 5, 6, 7};
        INDArray rows = FloatArrays.of(values, 2, 3);
        assertEquals(Nd4j.create(new float[][]{{1, 2, 3}, {4, 5, 6}}), rows);
        assertEquals(DataType.FLOAT, rows.dataType());
        values[0] = 9;
        assertEquals(1f, rows.getFloat(0, 0), "a copy");
        assertThrows(IllegalArgumentException.class, () -> FloatArrays.of(values, 4, 2));
    }
}
