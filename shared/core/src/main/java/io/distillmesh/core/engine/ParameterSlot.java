package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Where one parameter array (a weight or a bias) lies in the flat parameter vector, and in which layout. */
record ParameterSlot(long offset, long[] shape, char order) {
    /** The slot of {@code view}, a view into the network's flat parameters {@code params}. */
    static ParameterSlot of(INDArray view, INDArray params) {
        return new ParameterSlot(view.offset() - params.offset(), view.shape(), view.ordering());
    }

    long length() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** This parameter's values in θ, in its own shape. */
    INDArray in(INDArray theta) {
        return theta.get(NDArrayIndex.interval(offset, offset + length())).reshape(order, shape);
    }

    /** Writes {@code value} (this parameter's shape) into its place in the flat vector {@code flat}. */
    void write(INDArray flat, INDArray value) {
        INDArray flattened = Nd4j.toFlattened(order, value);
        flat.get(NDArrayIndex.interval(offset, offset + length())).assign(flattened);
        OffHeap.release(flattened);
    }
}
