package io.distillmesh.core.artifact;

import io.distillmesh.core.distill.DistillationSchedule;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.model.ModelSpec;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitSpecAndArtifactTest {
    private static final Provenance PROVENANCE = new Provenance("distiller", "0.1.0-test", "classification",
            "{\"jobId\":\"j1\",\"iterations\":3}", "", "2026-12-06T06:00:00Z");


    @Test
    void initSpecsSurviveJson() {
        List<InitSpec> specs = List.of(
                InitSpec.fixed(ModelSpec.lenet(0), Long.MAX_VALUE - 3),
                InitSpec.random(ModelSpec.mlp(0, 128, 64), -42, 4).withDataType("DOUBLE"),
                new InitSpec(ModelSpec.mlp(0, 32), InitMode.FIXED_PRETRAINED, 5, 1, List.of("models/a \"b\".zip"), "FLOAT"),
                new InitSpec(ModelSpec.cnn(0, 8, 16, 32), InitMode.RANDOM_PRETRAINED, 6, 2, List.of("x", "y"), "FLOAT"));
        for (InitSpec spec : specs) {
            String json = InitSpecJson.write(spec);
            assertEquals(spec, InitSpecJson.read(json), json);
            assertEquals(spec.seed(), spec.network().seed(), "the network's seed is the spec's seed");
        }
    }

    @Test
    void artifactRoundTripsAndFollowsTheDocumentedLayout(@TempDir Path dir) throws Exception {
        DistilledSet set = sample();
        Path file = dir.resolve("set.dmds");
        String sha256 = DistilledArtifact.write(set, PROVENANCE, file);
        DistilledArtifact.Stored stored = DistilledArtifact.read(file);
        assertEquals(set, stored.set());
        assertEquals(PROVENANCE, stored.provenance());
        assertEquals(sha256, stored.sha256());
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                sha256, "the SHA-256 of the whole file");

        byte[] bytes = DistilledArtifact.encode(set, PROVENANCE);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("DMDS", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(2, buf.getInt(4));
        assertEquals(List.of(3, 2, 2, 10, 1, 28, 28), List.of(buf.getInt(8), buf.getInt(12), buf.getInt(16),
                buf.getInt(20), buf.getInt(24), buf.getInt(28), buf.getInt(32)));
        assertEquals(set.stepSizes()[4], buf.getDouble(36 + 8 * 4));
        int pixelsAt = 36 + 8 * 6;
        assertEquals(set.pixels()[123], buf.getFloat(pixelsAt + 4 * 123));
        int jsonAt = pixelsAt + 4 * set.pixels().length;
        int jsonLength = buf.getInt(jsonAt);
        assertTrue(new String(bytes, jsonAt + 4, jsonLength, java.nio.charset.StandardCharsets.UTF_8)
                .startsWith("{\"format\":\"distill-mesh/init-spec\""));
        int provenanceAt = jsonAt + 4 + jsonLength;
        int provenanceLength = buf.getInt(provenanceAt);
        assertEquals(bytes.length - 32, provenanceAt + 4 + provenanceLength, "the SHA-256 ends the file");
        assertEquals(ProvenanceJson.write(PROVENANCE), new String(bytes, provenanceAt + 4, provenanceLength,
                java.nio.charset.StandardCharsets.UTF_8));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32)),
                Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length));

        Path png = dir.resolve("set.png");
        ImageGrid.write(set, png, 2);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(20 * (56 + 1) + 1, img.getWidth());
        assertEquals(3 * (56 + 1) + 1, img.getHeight());
    }

    @Test
    void aTamperedByteIsRefusedWithTheFileNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("set.dmds");
        DistilledArtifact.write(sample(), PROVENANCE, file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[36 + 8 * 6 + 4 * 500 + 1] ^= 0x01;
        Files.write(file, bytes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistilledArtifact.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("does not match its SHA-256")
                && e.getMessage().contains("altered or corrupted"), e.getMessage());
    }

    @Test
    void damagedArtifactsAreRefused() {
        byte[] good = DistilledArtifact.encode(sample(), PROVENANCE);
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertMessage(badMagic, "not a distilled-set artifact");
        byte[] badVersion = good.clone();
        badVersion[4] = 9;
        assertMessage(badVersion, "unknown distilled-set artifact version 9");
        byte[] versionOne = good.clone();
        versionOne[4] = 1;
        assertMessage(versionOne, "version 1 artifact: it carries no content hash or provenance");
        assertMessage(Arrays.copyOf(good, good.length - 5), "does not match its SHA-256");
        assertMessage(Arrays.copyOf(good, 20), "truncated artifact");
        assertMessage(rehashed(Arrays.copyOf(good, 200)), "truncated artifact");
        byte[] longer = Arrays.copyOf(Arrays.copyOf(good, good.length - 32), good.length - 31);
        assertMessage(rehashed(Arrays.copyOf(longer, longer.length + 32)), "trailing bytes");
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(36 + 8 * 6, Float.NaN);
        assertMessage(nan, "does not match its SHA-256");
        assertMessage(rehashed(nan), "pixels must be finite");
        byte[] negativeStep = good.clone();
        ByteBuffer.wrap(negativeStep).order(ByteOrder.LITTLE_ENDIAN).putDouble(36, -0.1);
        assertMessage(rehashed(negativeStep), "step sizes must be finite and positive");
        byte[] zeroImages = good.clone();
        ByteBuffer.wrap(zeroImages).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0);
        assertMessage(rehashed(zeroImages), "at least 1 image per class");
    }

    @Test
    void provenanceIsCheckedAndSaysWhenASetPoisons() {
        Provenance poisoning = Provenance.of("distiller", "poisoning", "{\"attackClass\":9}");
        assertTrue(poisoning.poisoning() && poisoning.describe().contains("POISONING"), poisoning.describe());
        assertEquals(poisoning, ProvenanceJson.read(ProvenanceJson.write(poisoning)));
        assertThrows(IllegalArgumentException.class, () -> Provenance.of("distiller", "classification", "[1,2]"));
        assertThrows(IllegalArgumentException.class, () -> new Provenance("d", "1", "classification", "{}", "abc",
                "2026-12-06T06:00:00Z"));
        IllegalArgumentException lie = assertThrows(IllegalArgumentException.class, () -> ProvenanceJson.read(
                ProvenanceJson.write(poisoning).replace("\"poisoning\":true", "\"poisoning\":false")));
        assertTrue(lie.getMessage().contains("'poisoning' is false but the objective is poisoning"), lie.getMessage());
    }

    /** The bytes with their SHA-256 trailer recomputed, as a consistent forgery would have them. */
    private static byte[] rehashed(byte[] bytes) {
        try {
            byte[] out = bytes.clone();
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes, bytes.length - 32));
            System.arraycopy(hash, 0, out, bytes.length - 32, 32);
            return out;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertMessage(byte[] bytes, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistilledArtifact.decode(bytes));
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention '" + part + "'");
    }

    private static DistilledSet sample() {
        DistillationSchedule schedule = new DistillationSchedule(2, 3, 2, 10);
        float[] px = new float[schedule.totalImages() * 784];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) Math.sin(i * 0.01) * 1.5f;
        }
        double[] eta = {0.01, 0.02, 0.03, 0.04, 0.05, 0.06};
        return new DistilledSet(schedule, ImageShape.MNIST, px, eta, InitSpec.random(ModelSpec.lenet(0), 77, 1));
    }
}
