package io.distillmesh.core.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What the flat kernels ask of an array they read in place. */
final class FlatArrays {
    private FlatArrays() {
    }

    static void checkDense(INDArray array, DataType dataType) {
        if (array.dataType() != dataType || array.isView() || array.offset() != 0
                || (array.rank() > 1 && array.ordering() != 'c') || array.data().length() != array.length()) {
            throw new IllegalArgumentException("need a dense " + dataType + " row-major array that is not a view, got "
                    + array.dataType() + " " + Arrays.toString(array.shape()) + " order " + array.ordering()
                    + (array.isView() ? " (a view)" : ""));
        }
    }

    /** {@code array} itself when the kernels can read it in place, else a dense row-major copy in {@code dataType}. */
    static INDArray dense(INDArray array, DataType dataType) {
        INDArray cast = array.dataType() == dataType ? array : array.castTo(dataType);
        boolean dense = !cast.isView() && cast.offset() == 0 && (cast.rank() < 2 || cast.ordering() == 'c')
                && cast.data().length() == cast.length();
        return dense ? cast : cast.dup('c');
    }
}
