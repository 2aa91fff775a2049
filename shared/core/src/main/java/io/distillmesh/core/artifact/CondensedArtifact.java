package io.distillmesh.core.artifact;

import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.model.ModelSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The binary file of a {@link CondensedSet} with its {@link Provenance}, version 1. All numbers little-endian:
 * <pre>
 * offset  type                   field
 *  0      4 bytes                magic "DMCS"
 *  4      int32                  version = 1
 *  8      int32 × 5              M images per class, C classes, image channels, rows, cols
 * 28      float32 × C·M·ch·r·c   pixels, ordered [class][image][channel][row][col]
 *  …      int32 n, n bytes       network and training recipe as UTF-8 JSON ({@link CondensedSetJson})
 *  …      int32 n, n bytes       provenance as UTF-8 JSON ({@link ProvenanceJson})
 *  …      32 bytes               SHA-256 of every byte before it
 * </pre>
 * Labels are not stored: image r has class r / M. Reading verifies the SHA-256 before anything else and refuses a
 * file whose content does not match it, as {@link DistilledArtifact} does, and a set that does not fit its network; a distilled set's file (magic DMDS) is
 * told apart by its magic ({@link #isCondensed}).
 */
public final class CondensedArtifact {
    public static final byte[] MAGIC = {'D', 'M', 'C', 'S'};
    public static final int VERSION = 1;
    private static final int HEADER_BYTES = 28;
    private static final int HASH_BYTES = 32;

    /** A condensed set as stored: its content, where it came from, and the SHA-256 of its file. */
    public record Stored(CondensedSet set, Provenance provenance, String sha256) {
    }

    private CondensedArtifact() {
    }

    /** Whether {@code bytes} begin with this format's magic. */
    public static boolean isCondensed(byte[] bytes) {
        return bytes.length >= 4 && Arrays.equals(Arrays.copyOf(bytes, 4), MAGIC);
    }

    public static byte[] encode(CondensedSet set, Provenance provenance) {
        byte[] spec = CondensedSetJson.write(set.network(), set.recipe()).getBytes(StandardCharsets.UTF_8);
        byte[] origin = ProvenanceJson.write(provenance).getBytes(StandardCharsets.UTF_8);
        long size = HEADER_BYTES + 4L * set.pixels().length + 4 + spec.length + 4 + origin.length + HASH_BYTES;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("condensed set too large for one artifact: " + size + " bytes");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(VERSION).putInt(set.imagesPerClass()).putInt(set.classes());
        buf.putInt(set.shape().channels()).putInt(set.shape().rows()).putInt(set.shape().cols());
        for (float p : set.pixels()) {
            buf.putFloat(p);
        }
        buf.putInt(spec.length).put(spec);
        buf.putInt(origin.length).put(origin);
        buf.put(DistilledArtifact.sha256(buf.array(), buf.position()));
        return buf.array();
    }

    public static Stored decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        DistilledArtifact.need(buf, HEADER_BYTES, "header");
        if (!isCondensed(bytes)) {
            throw new IllegalArgumentException("not a condensed-set artifact (magic "
                    + new String(Arrays.copyOf(bytes, 4), StandardCharsets.ISO_8859_1) + ", expected DMCS)");
        }
        DistilledArtifact.verifyHash(bytes);
        buf.position(4);
        int version = buf.getInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown condensed-set artifact version " + version
                    + " (this reader knows " + VERSION + ")");
        }
        int imagesPerClass = buf.getInt();
        int classes = buf.getInt();
        ImageShape shape = new ImageShape(buf.getInt(), buf.getInt(), buf.getInt());
        if (imagesPerClass < 1 || classes < 2) {
            throw new IllegalArgumentException("condensed set of " + imagesPerClass + " images per class and "
                    + classes + " classes");
        }
        long pixelCount = (long) imagesPerClass * classes * shape.features();
        DistilledArtifact.need(buf, 4L * pixelCount + 4, "pixels of " + classes + " × " + imagesPerClass + " × " + shape);
        float[] pixels = new float[(int) pixelCount];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = buf.getFloat();
        }
        CondensedSetJson.Read spec = CondensedSetJson.read(DistilledArtifact.utf8Block(buf, "condensed-set spec"));
        Provenance provenance = ProvenanceJson.read(DistilledArtifact.utf8Block(buf, "provenance"));
        if (buf.remaining() != HASH_BYTES) {
            throw new IllegalArgumentException(buf.remaining() - HASH_BYTES + " bytes between the provenance and the "
                    + "SHA-256 (trailing bytes)");
        }
        if (spec.network().numClasses() != classes || shape.features() != ModelSpec.INPUT_FEATURES
                || !shape.equals(ImageShape.MNIST)) {
            throw new IllegalArgumentException("the set's " + classes + " classes of " + shape + " images do not fit "
                    + "its network " + spec.network().describe() + " (" + ImageShape.MNIST + " images)");
        }
        CondensedSet set = new CondensedSet(spec.network(), shape, imagesPerClass, classes, pixels, spec.recipe());
        return new Stored(set, provenance, DistilledArtifact.sha256Of(bytes));
    }

    /** Writes the artifact and answers its SHA-256. */
    public static String write(CondensedSet set, Provenance provenance, Path file) {
        return DistilledArtifact.writeFile(encode(set, provenance), file);
    }

    /** Reads and verifies an artifact; a refusal names the file and the problem. */
    public static Stored read(Path file) {
        return DistilledArtifact.readFile(file, CondensedArtifact::decode);
    }
}
