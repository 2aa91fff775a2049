package io.distillmesh.messaging.records;

import java.nio.ByteBuffer;

/**
 * How a record's input travels: as bytes when it is an image read from IDX files (every value exactly k/255), as
 * 32-bit floats otherwise. Reads and writes whole arrays at once; a record is encoded or decoded for every sample
 * streamed.
 */
final class InputEncoding {
    private static final float[] LEVEL_VALUE = new float[256];

    static {
        for (int g = 0; g < 256; g++) {
            LEVEL_VALUE[g] = g / 255f;
        }
    }

    private InputEncoding() {
    }

    /** The grey levels k of values that are all exactly k/255, or null when one is not. */
    static byte[] greyLevels(float[] values) {
        byte[] levels = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!(v >= 0f && v <= 1f)) {
                return null;
            }
            int g = (int) (v * 255f + 0.5f); // Math.round's equal for v in [0, 1], without its slow general path
            if (LEVEL_VALUE[g] != v) {
                return null;
            }
            levels[i] = (byte) g;
        }
        return levels;
    }

    /** A record's input as it travels: grey levels (one byte a value) or floats (four). */
    record Encoded(byte[] levels, float[] values) {
        /** {@code input} as bytes when every value is a grey level k/255, else as floats. */
        static Encoded of(float[] input) {
            byte[] levels = greyLevels(input);
            return levels != null ? new Encoded(levels, null) : new Encoded(null, input);
        }

        static Encoded ofLevels(byte[] levels) {
            return new Encoded(levels, null);
        }

        byte code() {
            return levels != null ? RunRecordCodec.INPUT_U8 : RunRecordCodec.INPUT_F32;
        }

        /** Values, not bytes. */
        int length() {
            return levels != null ? levels.length : values.length;
        }

        int byteCount() {
            return levels != null ? levels.length : 4 * values.length;
        }

        void writeTo(ByteBuffer out) {
            if (levels != null) {
                out.put(levels);
            } else {
                putFloats(out, values);
            }
        }
    }

    /** Writes {@code values} as little-endian floats at the buffer's position and moves past them. */
    static void putFloats(ByteBuffer out, float[] values) {
        out.asFloatBuffer().put(values);
        out.position(out.position() + 4 * values.length);
    }

    /** Reads {@code length} little-endian floats at the buffer's position and moves past them. */
    static float[] getFloats(ByteBuffer in, int length) {
        float[] values = new float[length];
        in.asFloatBuffer().get(values);
        in.position(in.position() + 4 * length);
        return values;
    }

    /** Reads an input of {@code length} values in {@code encoding}; refuses non-finite floats. */
    static float[] getInput(ByteBuffer in, byte encoding, int length) {
        if (encoding == RunRecordCodec.INPUT_U8) {
            byte[] levels = new byte[length];
            in.get(levels);
            float[] input = new float[length];
            for (int i = 0; i < length; i++) {
                input[i] = LEVEL_VALUE[levels[i] & 0xFF];
            }
            return input;
        }
        float[] input = getFloats(in, length);
        for (int i = 0; i < length; i++) {
            if (!Float.isFinite(input[i])) {
                throw new RecordFormatException("non-finite input value at index " + i);
            }
        }
        return input;
    }
}
