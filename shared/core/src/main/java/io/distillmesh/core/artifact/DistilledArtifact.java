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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The binary file of a {@link DistilledSet} with its {@link Provenance}, version 2. All numbers little-endian:
 * <pre>
 * offset  type                     field
 *  0      4 bytes                  magic "DMDS"
 *  4      int32                    version = 2
 *  8      int32 × 7                S steps, E epochs, M images per class, C classes,
 *                                  image channels, rows, cols
 * 36      float64 × S·E            learned step sizes η_t (positive), t = epoch·S + step
 *  …      float32 × S·C·M·ch·r·c   pixels, ordered [step][class][image][channel][row][col]
 *  …      int32 n, n bytes         init spec as UTF-8 JSON ({@link InitSpecJson})
 *  …      int32 n, n bytes         provenance as UTF-8 JSON ({@link ProvenanceJson})
 *  …      32 bytes                 SHA-256 of every byte before it
 * </pre>
 * Labels are not stored: row r of every batch has class r / M. Step sizes are float64 so a replay repeats the
 * distillation's arithmetic exactly. Reading checks the SHA-256 first and refuses a file whose content does not
 * match it (altered or corrupted), then validates the magic, version, sizes, lengths, finiteness and positivity,
 * and refuses trailing bytes. Version 1 files (no hash, no provenance) are refused: where a set came from cannot
 * be told of them.
 */
public final class DistilledArtifact {
    public static final byte[] MAGIC = {'D', 'M', 'D', 'S'};
    public static final int VERSION = 2;
    private static final int HEADER_BYTES = 36;
    private static final int HASH_BYTES = 32;

    /** A set as stored: its content, where it came from, and the SHA-256 of its file (lower-case hex). */
    public record Stored(DistilledSet set, Provenance provenance, String sha256) {
    }

    private DistilledArtifact() {
    }

    public static byte[] encode(DistilledSet set, Provenance provenance) {
        byte[] json = InitSpecJson.write(set.init()).getBytes(StandardCharsets.UTF_8);
        byte[] origin = ProvenanceJson.write(provenance).getBytes(StandardCharsets.UTF_8);
        DistillationSchedule s = set.schedule();
        long size = HEADER_BYTES + 8L * set.stepSizes().length + 4L * set.pixels().length + 4 + json.length + 4
                + origin.length + HASH_BYTES;
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
        buf.putInt(origin.length).put(origin);
        buf.put(sha256(buf.array(), buf.position()));
        return buf.array();
    }

    /** The SHA-256 of a whole artifact file's bytes, as {@link Stored#sha256()} gives it. */
    public static String sha256Of(byte[] file) {
        return HexFormat.of().formatHex(sha256(file, file.length));
    }

    public static Stored decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        need(buf, HEADER_BYTES, "header");
        byte[] magic = new byte[4];
        buf.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a distilled-set artifact (magic "
                    + new String(magic, StandardCharsets.ISO_8859_1) + ", expected DMDS)");
        }
        int version = buf.getInt();
        if (version == 1) {
            throw new ArtifactIntegrityException("version 1 artifact: it carries no content hash or provenance, so where "
                    + "the set came from cannot be told; this reader needs version " + VERSION + " (re-make the set)");
        }
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown distilled-set artifact version " + version + " (this reader knows "
                    + VERSION + ")");
        }
        verifyHash(bytes);
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
        String initSpec = utf8Block(buf, "init spec");
        String provenance = utf8Block(buf, "provenance");
        if (buf.remaining() != HASH_BYTES) {
            throw new IllegalArgumentException(buf.remaining() - HASH_BYTES + " bytes between the provenance and the "
                    + "SHA-256 (trailing bytes)");
        }
        return new Stored(new DistilledSet(schedule, shape, pixels, stepSizes, InitSpecJson.read(initSpec)),
                ProvenanceJson.read(provenance), sha256Of(bytes));
    }

    static void verifyHash(byte[] bytes) {
        if (bytes.length < HEADER_BYTES + HASH_BYTES) {
            throw new IllegalArgumentException("truncated artifact: " + bytes.length + " bytes");
        }
        byte[] stored = Arrays.copyOfRange(bytes, bytes.length - HASH_BYTES, bytes.length);
        byte[] computed = sha256(bytes, bytes.length - HASH_BYTES);
        if (!MessageDigest.isEqual(stored, computed)) {
            throw new ArtifactIntegrityException("content does not match its SHA-256 (the file says "
                    + HexFormat.of().formatHex(stored) + ", its content hashes to " + HexFormat.of().formatHex(computed)
                    + "): the file was altered or corrupted");
        }
    }

    static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes, 0, length);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    /** An int32 length and that many bytes of UTF-8, before the trailing SHA-256. */
    static String utf8Block(ByteBuffer buf, String what) {
        need(buf, 4, what + " length");
        int length = buf.getInt();
        if (length < 0 || length > buf.remaining() - HASH_BYTES) {
            throw new IllegalArgumentException(what + " length " + length + " does not fit the "
                    + (buf.remaining() - HASH_BYTES) + " bytes left before the SHA-256");
        }
        byte[] block = new byte[length];
        buf.get(block);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(block)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8");
        }
    }

    /** Writes the artifact and answers its SHA-256. */
    public static String write(DistilledSet set, Provenance provenance, Path file) {
        return writeFile(encode(set, provenance), file);
    }

    /** Reads and verifies an artifact; a refusal names the file and the problem. */
    public static Stored read(Path file) {
        return readFile(file, DistilledArtifact::decode);
    }

    /** Writes an artifact's bytes (making its directory) and answers their SHA-256. */
    static String writeFile(byte[] bytes, Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return sha256Of(bytes);
    }

    /** Decodes an artifact file; a refusal keeps its kind and names the file. */
    static <T> T readFile(Path file, Function<byte[], T> decode) {
        try {
            return decode.apply(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ArtifactIntegrityException e) {
            throw new ArtifactIntegrityException(file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static void need(ByteBuffer buf, long bytes, String what) {
        if (buf.remaining() < bytes) {
            throw new IllegalArgumentException("truncated artifact: " + what + " need " + bytes + " bytes, "
                    + buf.remaining() + " left");
        }
    }
}
