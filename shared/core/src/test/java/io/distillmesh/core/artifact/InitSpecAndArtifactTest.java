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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitSpecAndArtifactTest {

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
        DistilledArtifact.write(set, file);
        assertEquals(set, DistilledArtifact.read(file));

        byte[] bytes = DistilledArtifact.encode(set);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("DMDS", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, buf.getInt(4));
        assertEquals(List.of(3, 2, 2, 10, 1, 28, 28), List.of(buf.getInt(8), buf.getInt(12), buf.getInt(16),
                buf.getInt(20), buf.getInt(24), buf.getInt(28), buf.getInt(32)));
        assertEquals(set.stepSizes()[4], buf.getDouble(36 + 8 * 4));
        int pixelsAt = 36 + 8 * 6;
        assertEquals(set.pixels()[123], buf.getFloat(pixelsAt + 4 * 123));
        int jsonAt = pixelsAt + 4 * set.pixels().length;
        assertEquals(bytes.length - jsonAt - 4, buf.getInt(jsonAt));
        assertTrue(new String(bytes, jsonAt + 4, bytes.length - jsonAt - 4, java.nio.charset.StandardCharsets.UTF_8)
                .startsWith("{\"format\":\"distill-mesh/init-spec\""));

        Path png = dir.resolve("set.png");
        ImageGrid.write(set, png, 2);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(20 * (56 + 1) + 1, img.getWidth());
        assertEquals(3 * (56 + 1) + 1, img.getHeight());
    }

    @Test
    void damagedArtifactsAreRefused() {
        byte[] good = DistilledArtifact.encode(sample());
        byte[] badMagic = good.clone();
        badMagic[0] = 'X';
        assertMessage(badMagic, "not a distilled-set artifact");
        byte[] badVersion = good.clone();
        badVersion[4] = 9;
        assertMessage(badVersion, "unknown distilled-set artifact version 9");
        assertMessage(Arrays.copyOf(good, good.length - 5), "does not match");
        assertMessage(Arrays.copyOf(good, 200), "truncated artifact");
        assertMessage(Arrays.copyOf(good, good.length + 1), "trailing bytes");
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(36 + 8 * 6, Float.NaN);
        assertMessage(nan, "pixels must be finite");
        byte[] negativeStep = good.clone();
        ByteBuffer.wrap(negativeStep).order(ByteOrder.LITTLE_ENDIAN).putDouble(36, -0.1);
        assertMessage(negativeStep, "step sizes must be finite and positive");
        byte[] zeroImages = good.clone();
        ByteBuffer.wrap(zeroImages).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0);
        assertMessage(zeroImages, "at least 1 image per class");
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
