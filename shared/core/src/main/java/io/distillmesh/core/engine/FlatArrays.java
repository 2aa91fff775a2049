package io.distillmesh.core.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the flat kernels ask of an array they read in place. */
final class FlatArrays {
    private FlatArrays() {
    }

    static void checkDense(INDArray array, DataType dataType) {
        if (array.dataType() != dataType || !coversItsBuffer(array)) {
            throw new IllegalArgumentException("need a dense " + dataType + " row-major array that is all of its "
                    + "buffer, got " + array.dataType() + " " + Arrays.toString(array.shape()) + " order "
                    + array.ordering() + (array.isView() ? " (a view)" : ""));
        }
    }

    /** Whether {@code array} is its whole buffer, element after element in row-major order (a view may be). */
    private static boolean coversItsBuffer(INDArray array) {
        return array.offset() == 0 && array.data().length() == array.length()
                && (array.rank() < 2 || array.ordering() == 'c') && array.elementWiseStride() == 1;
    }

    /** {@code array} itself when the kernels can read it in place, else a dense row-major copy in {@code dataType}. */
    static INDArray dense(INDArray array, DataType dataType) {
        INDArray cast = array.dataType() == dataType ? array : array.castTo(dataType);
        return coversItsBuffer(cast) ? cast : cast.dup('c');
    }
}
