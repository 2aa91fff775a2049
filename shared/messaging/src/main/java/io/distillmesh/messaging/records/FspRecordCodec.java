package io.distillmesh.messaging.records;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary layout of {@link FspRecord} values on {@code dm.fsp-targets.<run>}, version 1, little-endian:
 * <pre>
 * header   : 'D' 'M' (2 bytes), version u8 = 1, type u8 (3 = FSP targets, 4 = FSP run end)
 * type 3   : epoch i32, sampleId i64, label i16 (-1 = none), inputEncoding u8 (0 = f32, 1 = u8 scaled by 1/255),
 *            inputLength i32, matrixCount u8, then per matrix rows u16, cols u16; teacherIdLength u16,
 *            teacherId UTF-8, input (f32 or u8) x inputLength, then each matrix's values f32 x rows·cols, row-major
 * type 4   : epochs i32, samples i64
 * </pre>
 * The type numbers continue {@link RunRecordCodec}'s, so a record on the wrong topic is refused by type. Decoding
 * validates everything: the exact length, sizes, finite numbers.
 */
public final class FspRecordCodec {
    static final byte TYPE_FSP_TARGETS = 3;
    static final byte TYPE_FSP_END = 4;
    private static final int HEADER = 4;
    private static final int FIXED = 4 + 8 + 2 + 1 + 4 + 1 + 2;

    private FspRecordCodec() {
    }

    public static byte[] encode(FspRecord record) {
        if (record instanceof FspEndRecord e) {
            return header(ByteBuffer.allocate(HEADER + 12), TYPE_FSP_END).putInt(e.epochs()).putLong(e.samples()).array();
        }
        FspTargetRecord r = (FspTargetRecord) record;
        return encodeTargets(r.sampleId(), r.epoch(), r.label(), r.teacherId(), InputEncoding.Encoded.of(r.input()),
                r.matrices());
    }

    /**
     * The same bytes as {@link #encode} gives for an {@link FspTargetRecord} whose input is {@code greyLevels}
     * divided by 255, written from the levels themselves (no round trip through floats).
     */
    public static byte[] encodeImageTargets(long sampleId, int epoch, int label, String teacherId, byte[] greyLevels,
                                            List<FspTargetRecord.Matrix> matrices) {
        FspTargetRecord.check(label, matrices);
        return encodeTargets(sampleId, epoch, label, teacherId, InputEncoding.Encoded.ofLevels(greyLevels), matrices);
    }

    private static byte[] encodeTargets(long sampleId, int epoch, int label, String teacherId,
                                        InputEncoding.Encoded input, List<FspTargetRecord.Matrix> matrices) {
        if (matrices.size() > 255) {
            throw new IllegalArgumentException("at most 255 FSP matrices per record, got " + matrices.size());
        }
        byte[] id = teacherId.getBytes(StandardCharsets.UTF_8);
        long values = 0;
        for (FspTargetRecord.Matrix m : matrices) {
            if (m.rows() > 0xFFFF || m.cols() > 0xFFFF) {
                throw new IllegalArgumentException("FSP matrix " + m.rows() + "x" + m.cols() + " is too large");
            }
            values += m.values().length;
        }
        int size = Math.toIntExact(HEADER + FIXED + 4L * matrices.size() + id.length + input.byteCount() + 4 * values);
        ByteBuffer out = header(ByteBuffer.allocate(size), TYPE_FSP_TARGETS);
        out.putInt(epoch).putLong(sampleId).putShort((short) label).put(input.code()).putInt(input.length())
                .put((byte) matrices.size());
        for (FspTargetRecord.Matrix m : matrices) {
            out.putShort((short) m.rows()).putShort((short) m.cols());
        }
        out.putShort((short) id.length).put(id);
        input.writeTo(out);
        for (FspTargetRecord.Matrix m : matrices) {
            InputEncoding.putFloats(out, m.values());
        }
        return out.array();
    }

    public static FspRecord decode(byte[] bytes) {
        if (bytes == null) {
            throw new RecordFormatException("empty value (null)");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (bytes.length < HEADER || in.get() != RunRecordCodec.MAGIC_0 || in.get() != RunRecordCodec.MAGIC_1) {
                throw new RecordFormatException("not a distill-mesh record (bad magic)");
            }
            byte version = in.get();
            if (version != RunRecordCodec.VERSION) {
                throw new RecordFormatException("unknown record version " + version + " (this build reads "
                        + RunRecordCodec.VERSION + ")");
            }
            byte type = in.get();
            return switch (type) {
                case TYPE_FSP_TARGETS -> decodeTargets(in);
                case TYPE_FSP_END -> decodeEnd(in);
                default -> throw new RecordFormatException("record type " + type + " is not an FSP record");
            };
        } catch (BufferUnderflowException e) {
            throw new RecordFormatException("truncated record: " + bytes.length + " bytes");
        }
    }

    private static FspTargetRecord decodeTargets(ByteBuffer in) {
        int epoch = in.getInt();
        long sampleId = in.getLong();
        int label = in.getShort();
        byte encoding = in.get();
        int inputLength = in.getInt();
        int count = Byte.toUnsignedInt(in.get());
        if (encoding != RunRecordCodec.INPUT_F32 && encoding != RunRecordCodec.INPUT_U8) {
            throw new RecordFormatException("unknown input encoding " + encoding);
        }
        if (count < 1 || inputLength <= 0) {
            throw new RecordFormatException("bad sizes: " + count + " matrices, input length " + inputLength);
        }
        int[][] shapes = new int[count][2];
        long values = 0;
        for (int m = 0; m < count; m++) {
            shapes[m][0] = Short.toUnsignedInt(in.getShort());
            shapes[m][1] = Short.toUnsignedInt(in.getShort());
            if (shapes[m][0] < 1 || shapes[m][1] < 1) {
                throw new RecordFormatException("matrix " + m + " has shape " + shapes[m][0] + "x" + shapes[m][1]);
            }
            values += (long) shapes[m][0] * shapes[m][1];
        }
        int idLength = Short.toUnsignedInt(in.getShort());
        long expected = (long) HEADER + FIXED + 4L * count + idLength
                + (long) inputLength * (encoding == RunRecordCodec.INPUT_U8 ? 1 : 4) + 4 * values;
        if (expected != in.capacity()) {
            throw new RecordFormatException("wrong length: " + in.capacity() + " bytes, layout needs " + expected);
        }
        if (epoch < 0 || label < FspTargetRecord.UNLABELLED) {
            throw new RecordFormatException("bad epoch " + epoch + " or label " + label);
        }
        byte[] id = new byte[idLength];
        in.get(id);
        float[] input = InputEncoding.getInput(in, encoding, inputLength);
        List<FspTargetRecord.Matrix> matrices = new ArrayList<>(count);
        for (int m = 0; m < count; m++) {
            float[] v = InputEncoding.getFloats(in, shapes[m][0] * shapes[m][1]);
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new RecordFormatException("non-finite value in FSP matrix " + m + " at index " + i);
                }
            }
            matrices.add(new FspTargetRecord.Matrix(shapes[m][0], shapes[m][1], v));
        }
        return new FspTargetRecord(sampleId, epoch, label, new String(id, StandardCharsets.UTF_8), input, matrices);
    }

    private static FspEndRecord decodeEnd(ByteBuffer in) {
        if (in.capacity() != HEADER + 12) {
            throw new RecordFormatException("wrong length for an FSP run-end record: " + in.capacity() + " bytes");
        }
        int epochs = in.getInt();
        long samples = in.getLong();
        if (epochs <= 0 || samples < 0) {
            throw new RecordFormatException("bad FSP run-end record: epochs " + epochs + ", samples " + samples);
        }
        return new FspEndRecord(epochs, samples);
    }

    private static ByteBuffer header(ByteBuffer buffer, byte type) {
        return buffer.order(ByteOrder.LITTLE_ENDIAN).put(RunRecordCodec.MAGIC_0).put(RunRecordCodec.MAGIC_1)
                .put(RunRecordCodec.VERSION).put(type);
    }
}
