package io.distillmesh.core.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees intermediate arrays at once instead of when the garbage collector gets to them: ND4J's buffers
 * live off the Java heap, so without this a process holds gigabytes of dead activations between GCs.
 * Views, workspace arrays and arrays already freed are left alone.
 */
public final class OffHeap {
    private OffHeap() {
    }

    public static void release(INDArray... arrays) {
        for (INDArray a : arrays) {
            if (a != null && !a.isView() && !a.wasClosed() && a.closeable()) {
                a.close();
            }
        }
    }
}
