package io.distillmesh.messaging.records;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Binary layout of {@link RunRecord} values, version 1, little-endian:
 * <pre>
 * header   : 'D' 'M' (2 bytes), version u8 (1; 2 for types 5 and 2 with records), type u8 (1 = soft target,
 *            5 = soft targets, 2 = run end; the FSP topic's records take 3 and 4). A reader of version 1 refuses
 *            version 2 by its number: upgrade the students before the teachers.
 * type 1   : epoch i32, sampleId i64, label i16 (-1 = none), temperature f32, classes u16,
 *            inputEncoding u8 (0 = f32, 1 = u8 scaled by 1/255), inputLength i32,
 *            teacherIdLength u16, teacherId UTF-8, input (f32 or u8) x inputLength, logProbs f32 x classes
 * type 5   : epoch i32, temperature f32, classes u16, inputEncoding u8, inputLength i32, teacherIdLength u16,
 *            teacherId UTF-8, count i32, sampleId i64 x count, label i16 x count, inputs x count x inputLength,
 *            logProbs f32 x count x classes
 * type 2   : epochs i32, samples i64, then (version 2) records i64
 * </pre>
 * Decoding validates everything: the exact length, finite numbers, log-probabilities that are a distribution.
 */
public final class RunRecordCodec {
    static final byte MAGIC_0 = 'D';
    static final byte MAGIC_1 = 'M';
    static final byte VERSION = 1;
    static final byte VERSION_BATCHED = 2;
    static final byte TYPE_SOFT_TARGET = 1;
    static final byte TYPE_RUN_END = 2;
    static final byte TYPE_SOFT_TARGETS = 5;
    static final byte INPUT_F32 = 0;
    static final byte INPUT_U8 = 1;
    private static final int HEADER = 4;
    private static final int SOFT_FIXED = 4 + 8 + 2 + 4 + 2 + 1 + 4 + 2;
    private static final int BATCH_FIXED = 4 + 4 + 2 + 1 + 4 + 2 + 4;
    private static final int PER_SAMPLE_FIXED = 8 + 2;
    private static final int END_WITHOUT_RECORDS = 12;
    private static final int END_WITH_RECORDS = 20;
    private static final double LOG_NORMALISATION_TOLERANCE = 1e-3;

    private RunRecordCodec() {
    }

    public static byte[] encode(RunRecord record) {
        if (record instanceof SoftTargetRecord s) {
            return encodeSoftTarget(s);
        }
        if (record instanceof SoftTargetBatchRecord b) {
            return encodeBatch(b);
        }
        RunEndRecord e = (RunEndRecord) record;
        if (e.records() == RunEndRecord.RECORDS_UNKNOWN) {
            return header(ByteBuffer.allocate(HEADER + END_WITHOUT_RECORDS), TYPE_RUN_END).putInt(e.epochs())
                    .putLong(e.samples()).array();
        }
        return header(ByteBuffer.allocate(HEADER + END_WITH_RECORDS), VERSION_BATCHED, TYPE_RUN_END)
                .putInt(e.epochs()).putLong(e.samples()).putLong(e.records()).array();
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
            if (version != VERSION && version != VERSION_BATCHED) {
                throw new RecordFormatException("unknown record version " + version + " (this build reads " + VERSION
                        + " and " + VERSION_BATCHED + ")");
            }
            byte type = in.get();
            return switch (type) {
                case TYPE_SOFT_TARGET -> decodeSoftTarget(in);
                case TYPE_SOFT_TARGETS -> decodeBatch(in);
                case TYPE_RUN_END -> decodeRunEnd(in);
                default -> throw new RecordFormatException("unknown record type " + type);
            };
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException("truncated record: " + bytes.length + " bytes");
        }
    }

    /**
     * One record of consecutive samples whose inputs are {@code greyLevels[i]} divided by 255 (all of one length),
     * as {@link #encode} writes a {@link SoftTargetBatchRecord}: how a teacher streams a piece of its run.
     */
    public static byte[] encodeImageTargets(int epoch, float temperature, String teacherId, long[] sampleIds,
                                            int[] labels, byte[][] greyLevels, float[][] logProbs) {
        int count = sampleIds.length;
        if (count == 0 || labels.length != count || greyLevels.length != count || logProbs.length != count) {
            throw new IllegalArgumentException("a soft-target batch needs as many ids, labels, images and targets,"
                    + " at least one: " + count + ", " + labels.length + ", " + greyLevels.length + ", "
                    + logProbs.length);
        }
        int classes = logProbs[0].length;
        int inputLength = greyLevels[0].length;
        if (epoch < 0 || inputLength == 0) {
            throw new IllegalArgumentException("a soft-target batch needs an epoch >= 0 and inputs, got epoch " + epoch
                    + " and input length " + inputLength);
        }
        byte[] id = teacherId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = batchHeader(epoch, temperature, classes, INPUT_U8, inputLength, id, count);
        for (long sampleId : sampleIds) {
            out.putLong(sampleId);
        }
        for (int i = 0; i < count; i++) {
            SoftTargetRecord.check(labels[i], logProbs[i].length, temperature);
            requireLength("class count", logProbs[i].length, classes, i);
            out.putShort((short) labels[i]);
        }
        for (int i = 0; i < count; i++) {
            requireLength("input length", greyLevels[i].length, inputLength, i);
            out.put(greyLevels[i]);
        }
        for (float[] p : logProbs) {
            InputEncoding.putFloats(out, p);
        }
        return out.array();
    }

    private static byte[] encodeBatch(SoftTargetBatchRecord batch) {
        SoftTargetRecord first = batch.samples().get(0);
        int count = batch.size();
        int classes = first.logProbs().length;
        int inputLength = first.input().length;
        InputEncoding.Encoded[] inputs = new InputEncoding.Encoded[count];
        boolean allLevels = true;
        for (int i = 0; i < count; i++) {
            SoftTargetRecord s = batch.samples().get(i);
            if (s.epoch() != first.epoch() || s.temperature() != first.temperature()
                    || !s.teacherId().equals(first.teacherId())) {
                throw new IllegalArgumentException("sample " + i + " of a soft-target batch differs from the first in"
                        + " epoch, temperature or teacher");
            }
            requireLength("class count", s.logProbs().length, classes, i);
            requireLength("input length", s.input().length, inputLength, i);
            inputs[i] = InputEncoding.Encoded.of(s.input());
            allLevels &= inputs[i].levels() != null;
        }
        byte[] id = first.teacherId().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = batchHeader(first.epoch(), first.temperature(), classes, allLevels ? INPUT_U8 : INPUT_F32,
                inputLength, id, count);
        batch.samples().forEach(s -> out.putLong(s.sampleId()));
        batch.samples().forEach(s -> out.putShort((short) s.label()));
        for (int i = 0; i < count; i++) {
            if (allLevels) {
                out.put(inputs[i].levels());
            } else {
                InputEncoding.putFloats(out, batch.samples().get(i).input());
            }
        }
        batch.samples().forEach(s -> InputEncoding.putFloats(out, s.logProbs()));
        return out.array();
    }

    private static ByteBuffer batchHeader(int epoch, float temperature, int classes, byte encoding, int inputLength,
                                          byte[] teacherId, int count) {
        long bytes = HEADER + BATCH_FIXED + teacherId.length + (long) count * (PER_SAMPLE_FIXED
                + (long) inputLength * (encoding == INPUT_U8 ? 1 : 4) + 4L * classes);
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a soft-target batch of " + count + " samples needs " + bytes
                    + " bytes, more than one array holds");
        }
        return header(ByteBuffer.allocate((int) bytes), VERSION_BATCHED, TYPE_SOFT_TARGETS).putInt(epoch)
                .putFloat(temperature)
                .putShort((short) classes).put(encoding).putInt(inputLength).putShort((short) teacherId.length)
                .put(teacherId).putInt(count);
    }

    private static void requireLength(String what, int length, int expected, int sample) {
        if (length != expected) {
            throw new IllegalArgumentException("sample " + sample + " of a soft-target batch has " + what + " "
                    + length + ", the first has " + expected);
        }
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
        Sizes sizes = Sizes.read(in);
        checkLength(in, HEADER + SOFT_FIXED + sizes.idLength() + sizes.bytesPerSample());
        checkEpochAndTemperature(epoch, temperature);
        checkLabel(label, sizes.classes());
        String teacherId = utf8(in, sizes.idLength());
        float[] input = InputEncoding.getInput(in, sizes.encoding(), sizes.inputLength());
        return new SoftTargetRecord(sampleId, epoch, label, temperature, teacherId, input,
                logProbs(in, sizes.classes()));
    }

    /** The sizes both soft-target layouts declare, in the same order: classes, input encoding and length, id length. */
    private record Sizes(int classes, byte encoding, int inputLength, int idLength) {
        static Sizes read(ByteBuffer in) {
            Sizes sizes = new Sizes(Short.toUnsignedInt(in.getShort()), in.get(), in.getInt(),
                    Short.toUnsignedInt(in.getShort()));
            if (sizes.encoding != INPUT_F32 && sizes.encoding != INPUT_U8) {
                throw new RecordFormatException("unknown input encoding " + sizes.encoding);
            }
            if (sizes.classes < 2 || sizes.inputLength <= 0) {
                throw new RecordFormatException("bad sizes: " + sizes.classes + " classes, input length "
                        + sizes.inputLength);
            }
            return sizes;
        }

        /** A sample's input and log-probabilities on the wire. */
        long bytesPerSample() {
            return (long) inputLength * (encoding == INPUT_U8 ? 1 : 4) + 4L * classes;
        }
    }

    private static SoftTargetBatchRecord decodeBatch(ByteBuffer in) {
        int epoch = in.getInt();
        float temperature = in.getFloat();
        Sizes sizes = Sizes.read(in);
        int classes = sizes.classes();
        String teacherId = utf8(in, sizes.idLength());
        int count = in.getInt();
        if (count < 1) {
            throw new RecordFormatException("a soft-target batch of " + count + " samples");
        }
        long perSample = PER_SAMPLE_FIXED + sizes.bytesPerSample();
        long fixed = HEADER + BATCH_FIXED + sizes.idLength();
        if (count > (in.capacity() - fixed) / perSample) {
            throw new RecordFormatException("wrong length: " + in.capacity() + " bytes, too few for " + count
                    + " samples of " + perSample + " bytes");
        }
        checkLength(in, fixed + count * perSample);
        checkEpochAndTemperature(epoch, temperature);
        long[] ids = new long[count];
        for (int i = 0; i < count; i++) {
            ids[i] = in.getLong();
        }
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = in.getShort();
            checkLabel(labels[i], classes);
        }
        float[][] inputs = new float[count][];
        for (int i = 0; i < count; i++) {
            inputs[i] = InputEncoding.getInput(in, sizes.encoding(), sizes.inputLength());
        }
        SoftTargetRecord[] samples = new SoftTargetRecord[count];
        for (int i = 0; i < count; i++) {
            float[] logProbs;
            try {
                logProbs = logProbs(in, classes);
            } catch (RecordFormatException e) {
                throw new RecordFormatException("sample " + ids[i] + " (" + (i + 1) + " of " + count + "): "
                        + e.getMessage());
            }
            samples[i] = new SoftTargetRecord(ids[i], epoch, labels[i], temperature, teacherId, inputs[i], logProbs);
        }
        return new SoftTargetBatchRecord(Arrays.asList(samples));
    }

    private static void checkLength(ByteBuffer in, long expected) {
        if (expected != in.capacity()) {
            throw new RecordFormatException("wrong length: " + in.capacity() + " bytes, layout needs " + expected);
        }
    }

    private static void checkEpochAndTemperature(int epoch, float temperature) {
        if (epoch < 0) {
            throw new RecordFormatException("bad epoch " + epoch);
        }
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new RecordFormatException("temperature must be positive and finite, got " + temperature);
        }
    }

    private static void checkLabel(int label, int classes) {
        if (label < SoftTargetRecord.UNLABELLED || label >= classes) {
            throw new RecordFormatException("bad label " + label + " for " + classes + " classes");
        }
    }

    private static String utf8(ByteBuffer in, int length) {
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code classes} log-probabilities: each ≤ 0 and not NaN, their probabilities summing to 1. */
    private static float[] logProbs(ByteBuffer in, int classes) {
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
        return logProbs;
    }

    private static RunEndRecord decodeRunEnd(ByteBuffer in) {
        if (in.capacity() != HEADER + END_WITHOUT_RECORDS && in.capacity() != HEADER + END_WITH_RECORDS) {
            throw new RecordFormatException("wrong length for a run-end record: " + in.capacity() + " bytes");
        }
        int epochs = in.getInt();
        long samples = in.getLong();
        long records = in.hasRemaining() ? in.getLong() : RunEndRecord.RECORDS_UNKNOWN;
        if (epochs <= 0 || samples < 0 || records < RunEndRecord.RECORDS_UNKNOWN || records > samples) {
            throw new RecordFormatException("bad run-end record: epochs " + epochs + ", samples " + samples
                    + ", records " + records);
        }
        return new RunEndRecord(epochs, samples, records);
    }

    private static ByteBuffer header(ByteBuffer buffer, byte type) {
        return header(buffer, VERSION, type);
    }

    private static ByteBuffer header(ByteBuffer buffer, byte version, byte type) {
        return buffer.order(ByteOrder.LITTLE_ENDIAN).put(MAGIC_0).put(MAGIC_1).put(version).put(type);
    }
}
