package io.distillmesh.core.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    @Test
    void givesTheRowsOfAnyMatrixAsToFloatMatrixDoes() {
        INDArray c = Nd4j.linspace(1, 24, 24, DataType.FLOAT).reshape('c', 4, 6);
        INDArray f = c.dup('f');
        INDArray view = c.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 5));
        INDArray doubles = c.castTo(DataType.DOUBLE).mul(0.5);
        for (INDArray m : new INDArray[]{c, f, view, doubles, c.transpose()}) {
            assertArrayEquals(m.toFloatMatrix(), FloatArrays.rows(m), m.shapeInfoToString());
        }
        assertThrows(IllegalArgumentException.class, () -> FloatArrays.rows(c.reshape(2, 3, 4)));
    }
}
