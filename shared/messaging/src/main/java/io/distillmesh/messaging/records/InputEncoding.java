package io.distillmesh.messaging.records;

/** Whether an input travels as bytes: images read from IDX files hold only values k/255. */
final class InputEncoding {
    private InputEncoding() {
    }

    /** True when every value is exactly k/255 for an integer k in [0,255]. */
    static boolean fitsInBytes(float[] values) {
        for (float v : values) {
            if (!(v >= 0f && v <= 1f) || Math.round(v * 255f) / 255f != v) {
                return false;
            }
        }
        return true;
    }
}
