package io.distillmesh.teacher;

import java.nio.ByteBuffer;

/**
 * One piece of a run on its work topic: the samples at positions {@code [from, to)} of epoch {@code epoch}'s order,
 * or the run's end (sent once every other piece is done). On the wire: a format byte and three big-endian ints.
 */
record WorkItem(int epoch, int from, int to) {
    static final WorkItem END = new WorkItem(-1, 0, 0);
    private static final byte FORMAT = 1;
    private static final int BYTES = 1 + 3 * Integer.BYTES;

    WorkItem {
        boolean end = epoch == -1 && from == 0 && to == 0;
        if (!end && (epoch < 0 || from < 0 || to <= from)) {
            throw new IllegalArgumentException("work item needs epoch ≥ 0 and 0 ≤ from < to, got epoch " + epoch
                    + " [" + from + ", " + to + ")");
        }
    }

    boolean isEnd() {
        return epoch == -1;
    }

    int samples() {
        return to - from;
    }

    byte[] encode() {
        return ByteBuffer.allocate(BYTES).put(FORMAT).putInt(epoch).putInt(from).putInt(to).array();
    }

    /** The item in {@code bytes}; an {@link IllegalArgumentException} saying what is wrong otherwise. */
    static WorkItem decode(byte[] bytes) {
        if (bytes == null || bytes.length != BYTES) {
            throw new IllegalArgumentException("work item must be " + BYTES + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte format = in.get();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown work item format " + format);
        }
        return new WorkItem(in.getInt(), in.getInt(), in.getInt());
    }
}
