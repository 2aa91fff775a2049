package io.distillmesh.core.artifact;

import io.distillmesh.core.distill.DistillationSchedule;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.ImageShape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The binary file of a {@link DistilledSet}, version 1. All numbers little-endian:
 * <pre>
 * offset  type                     field
 *  0      4 bytes                  magic "DMDS"
 *  4      int32                    version = 1
 *  8      int32 × 7                S steps, E epochs, M images per class, C classes,
 *                                  image channels, rows, cols
 * 36      float64 × S·E            learned step sizes η_t (positive), t = epoch·S + step
 *  …      float32 × S·C·M·ch·r·c   pixels, ordered [step][class][image][channel][row][col]
 *  …      int32 n, n bytes         init spec as UTF-8 JSON ({@link InitSpecJson})
 * </pre>
 * Labels are not stored: row r of every batch has class r / M. The file ends after the JSON. Step sizes
 * are float64 so a replay repeats the distillation's arithmetic exactly. Reading validates the magic,
 * version, sizes, lengths, finiteness and positivity, and refuses trailing bytes.
 */
public final class DistilledArtifact {
    public static final byte[] MAGIC = {'D', 'M', 'D', 'S'};
    public static final int VERSION = 1;
    private static final int HEADER_BYTES = 36;

    private DistilledArtifact() {
    }

    public static byte[] encode(DistilledSet set) {
        byte[] json = InitSpecJson.write(set.init()).getBytes(StandardCharsets.UTF_8);
        DistillationSchedule s = set.schedule();
        long size = HEADER_BYTES + 8L * set.stepSizes().length + 4L * set.pixels().length + 4 + json.length;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("distilled set too large for one artifact: " + size + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(VERSION);
        buf.putInt(s.steps()).putInt(s.epochs()).putInt(s.imagesPerClass()).putInt(s.classes());
        buf.putInt(set.shape().channels()).putInt(set.shape().rows()).putInt(set.shape().cols());
        for (double eta : set.stepSizes()) {
            buf.putDouble(eta);
        }
        for (float p : set.pixels()) {
            buf.putFloat(p);
        }
        buf.putInt(json.length).put(json);
        return buf.array();
    }

    public static DistilledSet decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        need(buf, HEADER_BYTES, "header");
        byte[] magic = new byte[4];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a distilled-set artifact (magic "
                    + new String(magic, StandardCharsets.ISO_8859_1) + ", expected DMDS)");
        }
        int version = buf.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown distilled-set artifact version " + version + " (this reader knows "
                    + VERSION + ")");
        }
        int steps = buf.getInt();
        int epochs = buf.getInt();
        int imagesPerClass = buf.getInt();
        int classes = buf.getInt();
        DistillationSchedule schedule = new DistillationSchedule(imagesPerClass, steps, epochs, classes);
        ImageShape shape = new ImageShape(buf.getInt(), buf.getInt(), buf.getInt());
        long pixelCount = (long) schedule.totalImages() * shape.features();
        long bodyBytes = 8L * schedule.totalSteps() + 4L * pixelCount + 4;
        need(buf, bodyBytes, "step sizes and pixels of " + schedule.describe() + ", " + shape);
        double[] stepSizes = new double[schedule.totalSteps()];
        for (int t = 0; t < stepSizes.length; t++) {
            stepSizes[t] = buf.getDouble();
        }
        float[] pixels = new float[(int) pixelCount];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = buf.getFloat();
        }
        int jsonLength = buf.getInt();
        if (jsonLength < 0 || jsonLength != buf.remaining()) {
            throw new IllegalArgumentException("init spec length " + jsonLength + " does not match the "
                    + buf.remaining() + " bytes left (truncated file or trailing bytes)");
        }
        byte[] json = new byte[jsonLength];
        buf.get(json);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("init spec is not valid UTF-8");
        }
        return new DistilledSet(schedule, shape, pixels, stepSizes, InitSpecJson.read(text));
    }

    public static void write(DistilledSet set, Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.write(file, encode(set));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static DistilledSet read(Path file) {
        try {
            return decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static void need(ByteBuffer buf, long bytes, String what) {
        if (buf.remaining() < bytes) {
            throw new IllegalArgumentException("truncated artifact: " + what + " need " + bytes + " bytes, "
                    + buf.remaining() + " left");
        }
    }
}
