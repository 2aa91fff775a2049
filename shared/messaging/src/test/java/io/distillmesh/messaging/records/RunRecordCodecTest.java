package io.distillmesh.messaging.records;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunRecordCodecTest {
    private static final float[] LOG_PROBS = logProbs(0.1f, 0.2f, 0.7f);

    @Test
    void imageInputsTravelAsBytesAndComeBackExactly() {
        float[] pixels = {0f, 1f / 255f, 128f / 255f, 1f};
        SoftTargetRecord in = new SoftTargetRecord(42L, 3, 2, 4f, "teacher-cnn@1", pixels, LOG_PROBS);
        byte[] bytes = RunRecordCodec.encode(in);
        assertEquals(4 + 27 + "teacher-cnn@1".length() + 4 + 12, bytes.length, "u8 input encoding");
        SoftTargetRecord out = (SoftTargetRecord) RunRecordCodec.decode(bytes);
        assertEquals(42L, out.sampleId());
        assertEquals(3, out.epoch());
        assertEquals(2, out.label());
        assertEquals(4f, out.temperature());
        assertEquals("teacher-cnn@1", out.teacherId());
        assertArrayEquals(pixels, out.input());
        assertArrayEquals(LOG_PROBS, out.logProbs());
    }

    @Test
    void everyGreyLevelTravelsAsOneByteAndAValueOffALevelAsAFloat() {
        float[] levels = new float[256];
        for (int g = 0; g < 256; g++) {
            levels[g] = g / 255f;
        }
        byte[] bytes = RunRecordCodec.encode(new SoftTargetRecord(1, 0, 0, 1f, "t", levels, LOG_PROBS));
        assertEquals(4 + 27 + 1 + 256 + 12, bytes.length, "u8 input encoding");
        assertArrayEquals(levels, ((SoftTargetRecord) RunRecordCodec.decode(bytes)).input());

        float[] offLevel = levels.clone();
        offLevel[200] = Math.nextUp(offLevel[200]);
        byte[] floats = RunRecordCodec.encode(new SoftTargetRecord(1, 0, 0, 1f, "t", offLevel, LOG_PROBS));
        assertEquals(4 + 27 + 1 + 4 * 256 + 12, floats.length, "f32 input encoding");
        assertArrayEquals(offLevel, ((SoftTargetRecord) RunRecordCodec.decode(floats)).input());
    }

    @Test
    void aTeachersBatchOfImagesIsTheSameRecordAsFromTheirValuesAndRefusesWhatASampleCannotHold() {
        byte[] levels = {0, 1, (byte) 128, (byte) 255};
        float[] values = {0f, 1f / 255f, 128f / 255f, 1f};
        assertArrayEquals(RunRecordCodec.encode(new SoftTargetBatchRecord(List.of(
                        new SoftTargetRecord(42L, 3, 2, 4f, "teacher-cnn@1", values, LOG_PROBS)))),
                RunRecordCodec.encodeImageTargets(3, 4f, "teacher-cnn@1", new long[]{42L}, new int[]{2},
                        new byte[][]{levels}, new float[][]{LOG_PROBS}));
        assertThrows(IllegalArgumentException.class, () -> RunRecordCodec.encodeImageTargets(0, 4f, "t",
                new long[]{1L}, new int[]{3}, new byte[][]{levels}, new float[][]{LOG_PROBS}), "label outside the classes");
        assertThrows(IllegalArgumentException.class, () -> RunRecordCodec.encodeImageTargets(0, 0f, "t",
                new long[]{1L}, new int[]{0}, new byte[][]{levels}, new float[][]{LOG_PROBS}), "temperature 0");
    }

    @Test
    void arbitraryInputsTravelAsFloats() {
        float[] input = {-0.5f, 3.25f, 0.3f};
        SoftTargetRecord out = (SoftTargetRecord) RunRecordCodec.decode(RunRecordCodec.encode(
                new SoftTargetRecord(1, 0, SoftTargetRecord.UNLABELLED, 1f, "t", input, LOG_PROBS)));
        assertArrayEquals(input, out.input());
        assertEquals(SoftTargetRecord.UNLABELLED, out.label());
    }

    @Test
    void runEndRoundTrips() {
        RunRecord out = RunRecordCodec.decode(RunRecordCodec.encode(new RunEndRecord(2, 120_000, 470)));
        assertEquals(new RunEndRecord(2, 120_000, 470), assertInstanceOf(RunEndRecord.class, out));
    }

    @Test
    void aRunEndWithoutItsRecordCountIsAStreamOfOneRecordASample() {
        byte[] legacy = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'D').put((byte) 'M')
                .put((byte) 1).put((byte) 2).putInt(2).putLong(120_000).array();
        assertEquals(new RunEndRecord(2, 120_000, RunEndRecord.RECORDS_UNKNOWN), RunRecordCodec.decode(legacy));
        assertArrayEquals(legacy, RunRecordCodec.encode(new RunEndRecord(2, 120_000)), "and is written as before");
        byte[] moreRecordsThanSamples = RunRecordCodec.encode(new RunEndRecord(1, 10, 10));
        ByteBuffer.wrap(moreRecordsThanSamples).order(ByteOrder.LITTLE_ENDIAN).putLong(16, 11);
        assertReason(moreRecordsThanSamples, "records 11");
    }

    @Test
    void aBatchOfSamplesRoundTripsInOrderWithImagesAsBytes() {
        List<SoftTargetRecord> samples = List.of(
                new SoftTargetRecord(9, 1, 2, 4f, "t@1", new float[]{0f, 1f, 3f / 255f}, LOG_PROBS),
                new SoftTargetRecord(4, 1, SoftTargetRecord.UNLABELLED, 4f, "t@1", new float[]{1f, 0f, 0f},
                        logProbs(0.5f, 0.25f, 0.25f)));
        byte[] bytes = RunRecordCodec.encode(new SoftTargetBatchRecord(samples));
        assertEquals(4 + 21 + 3 + 2 * (10 + 3 + 12), bytes.length, "u8 inputs");
        assertEquals(2, bytes[2], "version 2: a reader of version 1 refuses it by its number");
        SoftTargetBatchRecord out = assertInstanceOf(SoftTargetBatchRecord.class, RunRecordCodec.decode(bytes));
        assertEquals(2, out.size());
        for (int i = 0; i < 2; i++) {
            SoftTargetRecord expected = samples.get(i);
            SoftTargetRecord actual = out.samples().get(i);
            assertEquals(expected.sampleId(), actual.sampleId());
            assertEquals(expected.epoch(), actual.epoch());
            assertEquals(expected.label(), actual.label());
            assertEquals(expected.temperature(), actual.temperature());
            assertEquals(expected.teacherId(), actual.teacherId());
            assertArrayEquals(expected.input(), actual.input());
            assertArrayEquals(expected.logProbs(), actual.logProbs());
        }
        byte[] fromLevels = RunRecordCodec.encodeImageTargets(1, 4f, "t@1", new long[]{9, 4},
                new int[]{2, SoftTargetRecord.UNLABELLED}, new byte[][]{{0, (byte) 255, 3}, {(byte) 255, 0, 0}},
                new float[][]{LOG_PROBS, logProbs(0.5f, 0.25f, 0.25f)});
        assertArrayEquals(bytes, fromLevels, "a teacher's batch from grey levels is the same record");
    }

    @Test
    void aBatchWithAnInputOffTheGreyLevelsTravelsAsFloats() {
        List<SoftTargetRecord> samples = List.of(
                new SoftTargetRecord(1, 0, 0, 1f, "t", new float[]{0f, 1f}, LOG_PROBS),
                new SoftTargetRecord(2, 0, 1, 1f, "t", new float[]{-0.25f, 7f}, LOG_PROBS));
        byte[] bytes = RunRecordCodec.encode(new SoftTargetBatchRecord(samples));
        assertEquals(4 + 21 + 1 + 2 * (10 + 8 + 12), bytes.length, "f32 inputs");
        SoftTargetBatchRecord out = (SoftTargetBatchRecord) RunRecordCodec.decode(bytes);
        assertArrayEquals(new float[]{-0.25f, 7f}, out.samples().get(1).input());
    }

    @Test
    void aBatchIsRefusedWholeWhenOneSampleIsBadAndTheReasonNamesTheSample() {
        byte[] good = RunRecordCodec.encodeImageTargets(0, 2f, "t", new long[]{11, 12, 13}, new int[]{0, 1, 2},
                new byte[][]{{1, 2}, {3, 4}, {5, 6}}, new float[][]{LOG_PROBS, LOG_PROBS, LOG_PROBS});
        assertInstanceOf(SoftTargetBatchRecord.class, RunRecordCodec.decode(good));
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(nan.length - 12 - 4, Float.NaN);
        assertReason(nan, "sample 12 (2 of 3): log-probability NaN");
        byte[] badLabel = good.clone();
        int labels = 4 + 21 + 1 + 3 * 8;
        ByteBuffer.wrap(badLabel).order(ByteOrder.LITTLE_ENDIAN).putShort(labels + 2, (short) 3);
        assertReason(badLabel, "label 3");
        byte[] none = good.clone();
        ByteBuffer.wrap(none).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 21 + 1 - 4, 0);
        assertReason(none, "batch of 0 samples");
        byte[] more = good.clone();
        ByteBuffer.wrap(more).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 21 + 1 - 4, 4);
        assertReason(more, "wrong length");
        assertReason(Arrays.copyOf(good, good.length - 1), "wrong length");
        assertReason(Arrays.copyOf(good, 20), "truncated");
        assertThrows(IllegalArgumentException.class, () -> RunRecordCodec.encodeImageTargets(0, 2f, "t",
                new long[]{1, 2}, new int[]{0, 1}, new byte[][]{{1, 2}, {3}}, new float[][]{LOG_PROBS, LOG_PROBS}),
                "images of two lengths");
        assertThrows(IllegalArgumentException.class, () -> new SoftTargetBatchRecord(List.of()));
    }

    @Test
    void aBatchWhoseDeclaredSizesOverflowALongIsRefusedByItsLength() {
        // count × (10 + 4 × inputLength + 4 × classes) wraps around 2^64 to exactly this record's length
        ByteBuffer forged = ByteBuffer.allocate(41_283).order(ByteOrder.LITTLE_ENDIAN).put((byte) 'D').put((byte) 'M')
                .put((byte) 2).put((byte) 5).putInt(0).putFloat(1f).putShort((short) 56_755).put((byte) 0)
                .putInt(Integer.MAX_VALUE).putShort((short) 0).putInt(2_147_426_893);
        assertReason(forged.array(), "too few for 2147426893 samples");
    }

    @Test
    void refusesWhatItCannotTrust() {
        byte[] good = RunRecordCodec.encode(new SoftTargetRecord(7, 0, 1, 2f, "t", new float[]{0.5f, -1f}, LOG_PROBS));
        assertReason(new byte[]{1, 2, 3}, "bad magic");
        assertReason(new byte[0], "bad magic");
        byte[] version = good.clone();
        version[2] = 9;
        assertReason(version, "unknown record version 9");
        byte[] type = good.clone();
        type[3] = 7;
        assertReason(type, "unknown record type 7");
        assertReason(Arrays.copyOf(good, good.length - 1), "wrong length");
        assertReason(Arrays.copyOf(good, 10), "truncated");
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(nan.length - 4, Float.NaN);
        assertReason(nan, "log-probability NaN");
        byte[] notNormalised = good.clone();
        ByteBuffer.wrap(notNormalised).order(ByteOrder.LITTLE_ENDIAN).putFloat(notNormalised.length - 4, -5f);
        assertReason(notNormalised, "sum to");
        byte[] badTemperature = good.clone();
        ByteBuffer.wrap(badTemperature).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 + 14, -1f);
        assertReason(badTemperature, "temperature");
        byte[] badLabel = good.clone();
        ByteBuffer.wrap(badLabel).order(ByteOrder.LITTLE_ENDIAN).putShort(4 + 12, (short) 3);
        assertReason(badLabel, "label 3");
        assertReason(null, "null");
    }

    private static void assertReason(byte[] bytes, String expected) {
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RunRecordCodec.decode(bytes));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static float[] logProbs(float... p) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) Math.log(p[i]);
        }
        return out;
    }
}
