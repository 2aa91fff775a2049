package io.distillmesh.core.artifact;

import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.condense.TrainingRecipe;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.model.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Condensed-set files: what is written is read back, with its recipe and provenance; altered files are refused. */
class CondensedArtifactTest {
    private static CondensedSet set() {
        Random rnd = new Random(5);
        float[] pixels = new float[2 * 10 * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rnd.nextGaussian();
        }
        return new CondensedSet(ModelSpec.convNet(3, 16, 3), ImageShape.MNIST, 2, 10, pixels,
                TrainingRecipe.papers().withEpochs(120).withAugmentation(Augmentation.siamese()));
    }

    private static Provenance provenance() {
        return Provenance.of("distiller", "distribution-matching", "{\"objective\":\"distribution-matching\"}");
    }

    @Test
    void roundTripsWithRecipeNetworkAndProvenance(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("dm.dmcs");
        String sha = CondensedArtifact.write(set(), provenance(), file);
        CondensedArtifact.Stored stored = CondensedArtifact.read(file);
        assertEquals(set(), stored.set());
        assertEquals(sha, stored.sha256());
        assertEquals("distribution-matching", stored.provenance().objective());
        assertEquals(120, stored.set().recipe().epochs());
        assertEquals(Augmentation.siamese(), stored.set().recipe().augmentation());
        assertEquals("convnet-16-16-16-10", stored.set().network().describe());
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(CondensedArtifact.isCondensed(bytes));
        assertFalse(CondensedArtifact.isCondensed("DMDS".getBytes()));
    }

    @Test
    void aVersionOneSpecReadsAsARecipeWithoutAugmentation() {
        String v1 = "{\"format\":\"distill-mesh/condensed-set\",\"version\":1,\"network\":{\"architecture\":"
                + "\"CONVNET\",\"hidden\":[],\"channels\":[16,16,16],\"numClasses\":10,\"learningRate\":0.001},"
                + "\"seed\":3,\"recipe\":{\"epochs\":300,\"batchSize\":256,\"learningRate\":0.01,\"momentum\":0.9,"
                + "\"weightDecay\":5.0E-4,\"decayAt\":0.5,\"decayFactor\":0.1}}";
        CondensedSetJson.Read read = CondensedSetJson.read(v1);
        assertEquals(TrainingRecipe.papers(), read.recipe());
        assertTrue(read.recipe().augmentation().none());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CondensedSetJson.read(v1.replace("\"version\":1", "\"version\":2")));
        assertTrue(e.getMessage().contains("augmentation"), e.getMessage());
        String written = CondensedSetJson.write(ModelSpec.convNet(3, 16, 3),
                TrainingRecipe.papers().withAugmentation(Augmentation.parse("crop,noise")));
        assertEquals(Augmentation.parse("crop,noise"), CondensedSetJson.read(written).recipe().augmentation());
        assertTrue(written.contains("\"version\":2"), written);
    }

    @Test
    void anAlteredByteIsRefusedNamingTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tampered.dmcs");
        CondensedArtifact.write(set(), provenance(), file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[100] ^= 1;
        Files.write(file, bytes);
        ArtifactIntegrityException e = assertThrows(ArtifactIntegrityException.class, () -> CondensedArtifact.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void otherFilesAreRefusedWithTheReason() {
        byte[] distilled = new byte[64];
        System.arraycopy("DMDS".getBytes(), 0, distilled, 0, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CondensedArtifact.decode(distilled));
        assertTrue(e.getMessage().contains("expected DMCS"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CondensedArtifact.decode(new byte[3]));
    }
}
