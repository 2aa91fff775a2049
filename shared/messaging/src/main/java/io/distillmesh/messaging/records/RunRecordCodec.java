package io.distillmesh.messaging.records;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Binary layout of {@link RunRecord} values, version 1, little-endian:
 * <pre>
 * header   : 'D' 'M' (2 bytes), version u8 = 1, type u8 (1 = soft target, 2 = run end)
 * type 1   : epoch i32, sampleId i64, label i16 (-1 = none), temperature f32, classes u16,
 *            inputEncoding u8 (0 = f32, 1 = u8 scaled by 1/255), inputLength i32,
 *            teacherIdLength u16, teacherId UTF-8, input (f32 or u8) x inputLength, logProbs f32 x classes
 * type 2   : epochs i32, samples i64
 * </pre>
 * Decoding validates everything: the exact length, finite numbers, log-probabilities that are a distribution.
 */
public final class RunRecordCodec {
    static final byte MAGIC_0 = 'D';
    static final byte MAGIC_1 = 'M';
    static final byte VERSION = 1;
    static final byte TYPE_SOFT_TARGET = 1;
    static final byte TYPE_RUN_END = 2;
    static final byte INPUT_F32 = 0;
    static final byte INPUT_U8 = 1;
    private static final int HEADER = 4;
    private static final int SOFT_FIXED = 4 + 8 + 2 + 4 + 2 + 1 + 4 + 2;
    private static final double LOG_NORMALISATION_TOLERANCE = 1e-3;

    private RunRecordCodec() {
    }

    public static byte[] encode(RunRecord record) {
        if (record instanceof SoftTargetRecord s) {
            return encodeSoftTarget(s);
        }
        RunEndRecord e = (RunEndRecord) record;
        return header(ByteBuffer.allocate(HEADER + 12), TYPE_RUN_END).putInt(e.epochs()).putLong(e.samples()).array();
    }

    public static RunRecord decode(byte[] bytes) {
        if (bytes == null) {
            throw new RecordFormatException("empty value (null)");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.length < HEADER || in.get() != MAGIC_0 || in.get() != MAGIC_1) {
                throw new RecordFormatException("not a distill-mesh run record (bad magic)");
            }
            byte version = in.get();
            if (version != VERSION) {
                throw new RecordFormatException("unknown record version " + version + " (this build reads " + VERSION + ")");
            }
            byte type = in.get();
            return switch (type) {
                case TYPE_SOFT_TARGET -> decodeSoftTarget(in);
                case TYPE_RUN_END -> decodeRunEnd(in);
                default -> throw new RecordFormatException("unknown record type " + type);
            };
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException("truncated record: " + bytes.length + " bytes");
        }
    }

    /**
     * The same bytes as {@link #encode} gives for a {@link SoftTargetRecord} whose input is {@code greyLevels}
     * divided by 255, written from the levels themselves: a teacher streaming images it read from IDX files skips
     * the round trip through floats.
     */
    public static byte[] encodeImageTarget(long sampleId, int epoch, int label, float temperature, String teacherId,
                                           byte[] greyLevels, float[] logProbs) {
        SoftTargetRecord.check(label, logProbs.length, temperature);
        return encodeSoftTarget(sampleId, epoch, label, temperature, teacherId,
                InputEncoding.Encoded.ofLevels(greyLevels), logProbs);
    }

    private static byte[] encodeSoftTarget(SoftTargetRecord s) {
        return encodeSoftTarget(s.sampleId(), s.epoch(), s.label(), s.temperature(), s.teacherId(),
                InputEncoding.Encoded.of(s.input()), s.logProbs());
    }

    private static byte[] encodeSoftTarget(long sampleId, int epoch, int label, float temperature, String teacherId,
                                           InputEncoding.Encoded input, float[] logProbs) {
        byte[] id = teacherId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = header(ByteBuffer.allocate(HEADER + SOFT_FIXED + id.length + input.byteCount()
                + 4 * logProbs.length), TYPE_SOFT_TARGET);
        out.putInt(epoch).putLong(sampleId).putShort((short) label).putFloat(temperature)
                .putShort((short) logProbs.length).put(input.code())
                .putInt(input.length()).putShort((short) id.length).put(id);
        input.writeTo(out);
        InputEncoding.putFloats(out, logProbs);
        return out.array();
    }

    private static SoftTargetRecord decodeSoftTarget(ByteBuffer in) {
        int epoch = in.getInt();
        long sampleId = in.getLong();
        int label = in.getShort();
        float temperature = in.getFloat();
        int classes = Short.toUnsignedInt(in.getShort());
        byte encoding = in.get();
        int inputLength = in.getInt();
        int idLength = Short.toUnsignedInt(in.getShort());
        if (encoding != INPUT_F32 && encoding != INPUT_U8) {
            throw new RecordFormatException("unknown input encoding " + encoding);
        }
        if (classes < 2 || inputLength <= 0) {
            throw new RecordFormatException("bad sizes: " + classes + " classes, input length " + inputLength);
        }
        long expected = (long) HEADER + SOFT_FIXED + idLength
                + (long) inputLength * (encoding == INPUT_U8 ? 1 : 4) + 4L * classes;
        if (expected != in.capacity()) {
            throw new RecordFormatException("wrong length: " + in.capacity() + " bytes, layout needs " + expected);
        }
        if (epoch < 0 || label < SoftTargetRecord.UNLABELLED || label >= classes) {
            throw new RecordFormatException("bad epoch " + epoch + " or label " + label + " for " + classes + " classes");
        }
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new RecordFormatException("temperature must be positive and finite, got " + temperature);
        }
        byte[] id = new byte[idLength];
        in.get(id);
        float[] input = InputEncoding.getInput(in, encoding, inputLength);
        float[] logProbs = InputEncoding.getFloats(in, classes);
        double total = 0;
        for (int i = 0; i < classes; i++) {
            if (Float.isNaN(logProbs[i]) || logProbs[i] > 1e-4f || logProbs[i] == Float.POSITIVE_INFINITY) {
                throw new RecordFormatException("log-probability " + logProbs[i] + " at class " + i + " is not <= 0");
            }
            total += Math.exp(logProbs[i]);
        }
        if (Math.abs(total - 1) > LOG_NORMALISATION_TOLERANCE) {
            throw new RecordFormatException("teacher probabilities sum to " + total + ", not 1");
        }
        return new SoftTargetRecord(sampleId, epoch, label, temperature, new String(id, StandardCharsets.UTF_8),
                input, logProbs);
    }

    private static RunEndRecord decodeRunEnd(ByteBuffer in) {
        if (in.capacity() != HEADER + 12) {
            throw new RecordFormatException("wrong length for a run-end record: " + in.capacity() + " bytes");
        }
        int epochs = in.getInt();
        long samples = in.getLong();
        if (epochs <= 0 || samples < 0) {
            throw new RecordFormatException("bad run-end record: epochs " + epochs + ", samples " + samples);
        }
        return new RunEndRecord(epochs, samples);
    }

    private static ByteBuffer header(ByteBuffer buffer, byte type) {
        return buffer.order(ByteOrder.LITTLE_ENDIAN).put(MAGIC_0).put(MAGIC_1).put(VERSION).put(type);
    }
}
