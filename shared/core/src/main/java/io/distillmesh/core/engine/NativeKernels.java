package io.distillmesh.core.engine;

import org.nd4j.nativeblas.NativeOpsHolder;

/** What ND4J's native library was built with. */
final class NativeKernels {
    private static final boolean ONE_DNN = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo()
            .contains("HAVE_ONEDNN");

    private NativeKernels() {
    }

    /** Whether libnd4j has oneDNN's kernels (the {@code -onednn} classifiers of nd4j-native). */
    static boolean hasOneDnn() {
        return ONE_DNN;
    }
}
