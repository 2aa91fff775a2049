package io.distillmesh.messaging.records;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FspRecordCodecTest {
    private static final float[] PIXELS = {0f, 1f / 255f, 128f / 255f, 1f};

    @Test
    void targetsWrittenFromAnImagesGreyLevelsAreTheSameRecordAsFromItsValues() {
        List<FspTargetRecord.Matrix> matrices = List.of(new FspTargetRecord.Matrix(1, 2, new float[]{0.25f, -2f}));
        byte[] levels = {0, 1, (byte) 128, (byte) 255};
        assertArrayEquals(FspRecordCodec.encode(new FspTargetRecord(7L, 2, 4, "teacher-resnet@1", PIXELS, matrices)),
                FspRecordCodec.encodeImageTargets(7L, 2, 4, "teacher-resnet@1", levels, matrices));
        assertThrows(IllegalArgumentException.class,
                () -> FspRecordCodec.encodeImageTargets(7L, 2, -2, "t", levels, matrices), "label below -1");
        assertThrows(IllegalArgumentException.class,
                () -> FspRecordCodec.encodeImageTargets(7L, 2, 0, "t", levels, List.of()), "no matrix");
    }

    @Test
    void matricesAndInputComeBackExactly() {
        FspTargetRecord.Matrix a = new FspTargetRecord.Matrix(2, 2, new float[]{0.5f, -1.25f, 3e-7f, 42f});
        FspTargetRecord.Matrix b = new FspTargetRecord.Matrix(1, 3, new float[]{1f, 2f, 3f});
        FspTargetRecord in = new FspTargetRecord(7L, 2, 4, "teacher-resnet@1", PIXELS, List.of(a, b));
        byte[] bytes = FspRecordCodec.encode(in);
        assertEquals(4 + 22 + 8 + "teacher-resnet@1".length() + 4 + 4 * 7, bytes.length, "u8 input, f32 matrices");
        FspTargetRecord out = (FspTargetRecord) FspRecordCodec.decode(bytes);
        assertEquals(7L, out.sampleId());
        assertEquals(2, out.epoch());
        assertEquals(4, out.label());
        assertEquals("teacher-resnet@1", out.teacherId());
        assertArrayEquals(PIXELS, out.input());
        assertEquals(2, out.matrices().size());
        assertEquals(2, out.matrices().get(0).rows());
        assertArrayEquals(a.values(), out.matrices().get(0).values());
        assertEquals(3, out.matrices().get(1).cols());
        assertArrayEquals(b.values(), out.matrices().get(1).values());
        float[] raw = {-0.5f, 3.25f};
        FspTargetRecord unlabelled = (FspTargetRecord) FspRecordCodec.decode(FspRecordCodec.encode(
                new FspTargetRecord(1, 0, FspTargetRecord.UNLABELLED, "t", raw, List.of(b))));
        assertArrayEquals(raw, unlabelled.input());
        assertEquals(new FspEndRecord(3, 900), FspRecordCodec.decode(FspRecordCodec.encode(new FspEndRecord(3, 900))));
    }

    @Test
    void refusesMalformedRecordsWithTheReason() {
        byte[] good = FspRecordCodec.encode(new FspTargetRecord(1, 0, 1, "t", PIXELS,
                List.of(new FspTargetRecord.Matrix(2, 2, new float[]{1, 2, 3, 4}))));
        assertReason(Arrays.copyOf(good, good.length - 1), "wrong length");
        assertReason(Arrays.copyOf(good, 10), "truncated");
        assertReason(new byte[]{'x', 'y', 1, 3}, "bad magic");
        byte[] version = good.clone();
        version[2] = 9;
        assertReason(version, "unknown record version 9");
        byte[] softTarget = RunRecordCodec.encode(new RunEndRecord(1, 1));
        assertReason(softTarget, "record type 2 is not an FSP record");
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(nan.length - 4, Float.NaN);
        assertReason(nan, "non-finite value in FSP matrix 0 at index 3");
        byte[] zeroRows = good.clone();
        ByteBuffer.wrap(zeroRows).order(ByteOrder.LITTLE_ENDIAN).putShort(4 + 20, (short) 0);
        assertReason(zeroRows, "has shape 0x2");
        assertThrows(RecordFormatException.class, () -> FspRecordCodec.decode(null));
    }

    private static void assertReason(byte[] bytes, String reason) {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> FspRecordCodec.decode(bytes));
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }
}
