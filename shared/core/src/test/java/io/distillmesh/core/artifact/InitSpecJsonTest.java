package io.distillmesh.core.artifact;

import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.model.ModelSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitSpecJsonTest {
    private static final Path SHIPPED = Path.of("../../models/distilled-lenet-10.dmds");
    private static final String LENET_JSON = "{\"format\":\"distill-mesh/init-spec\",\"version\":1,"
            + "\"network\":{\"architecture\":\"CNN\",\"hidden\":[120,84],\"channels\":[6,16],\"numClasses\":10,"
            + "\"learningRate\":0.001},\"mode\":\"FIXED\",\"seed\":42,\"modelsPerIteration\":1,\"pretrained\":[],"
            + "\"dataType\":\"FLOAT\"}";

    @Test
    void theShippedArtifactLoadsAndIsWrittenBackByteForByte() throws Exception {
        byte[] file = Files.readAllBytes(SHIPPED);
        DistilledArtifact.Stored stored = DistilledArtifact.read(SHIPPED);
        assertEquals(InitSpec.fixed(ModelSpec.lenet(0), 42), stored.set().init());
        assertArrayEquals(file, DistilledArtifact.encode(stored.set(), stored.provenance()),
                "same bytes, init spec and provenance JSON and SHA-256 included");
    }

    @Test
    void writesTheDocumentedLayoutWithFieldsInOrder() {
        assertEquals(LENET_JSON, InitSpecJson.write(InitSpec.fixed(ModelSpec.lenet(0), 42)));
        String pooled = InitSpecJson.write(new InitSpec(ModelSpec.mlp(0, 32), InitMode.RANDOM_PRETRAINED, -5, 2,
                List.of("a \"b\"\\c\n.zip", "d"), "DOUBLE"));
        assertEquals("{\"format\":\"distill-mesh/init-spec\",\"version\":1,\"network\":{\"architecture\":\"MLP\","
                + "\"hidden\":[32],\"channels\":[],\"numClasses\":10,\"learningRate\":0.001},"
                + "\"mode\":\"RANDOM_PRETRAINED\",\"seed\":-5,\"modelsPerIteration\":2,"
                + "\"pretrained\":[\"a \\\"b\\\"\\\\c\\n.zip\",\"d\"],\"dataType\":\"DOUBLE\"}", pooled);
    }

    @Test
    void readsWhitespaceEscapesAndUnknownFieldsAsBefore() {
        String spaced = "{ \"format\" : \"distill-mesh/init-spec\", \"version\" : 1,\n"
                + " \"comment\" : {\"any\" : [1, null]},\n"
                + " \"network\" : {\"architecture\":\"MLP\",\"hidden\":[ 8 ],\"channels\":[],\"numClasses\":3,"
                + "\"learningRate\":1e-2},\n \"mode\":\"random-pretrained\",\"seed\":7,\"modelsPerIteration\":1,"
                + "\"pretrained\":[\"m\\u00e9\\/x\\tz\"],\"dataType\":\"FLOAT\" }\n";
        InitSpec spec = InitSpecJson.read(spaced);
        assertEquals(new InitSpec(new ModelSpec(ModelSpec.Architecture.MLP, new int[]{8}, new int[0], 0, 0.01, 7, 3),
                InitMode.RANDOM_PRETRAINED, 7, 1, List.of("mé/x\tz"), "FLOAT"), spec);
    }

    @Test
    void aMalformedFieldIsNamedWithItsPath() {
        refused(lenetWith("\"seed\":42", "\"seed\":\"42\""), "field 'seed' must be a 64-bit integer, got \"42\"");
        refused(lenetWith("\"seed\":42", "\"seed\":4.5"), "field 'seed' must be a 64-bit integer, got 4.5");
        refused(lenetWith("\"seed\":42", "\"seed\":123456789012345678901234"), "field 'seed' must be a 64-bit integer");
        refused(lenetWith("[120,84]", "[120,84.5]"), "field 'network.hidden[1]' must be a 32-bit integer, got 84.5");
        refused(lenetWith("[120,84]", "[120,null]"), "field 'network.hidden[1]' must not be null");
        refused(lenetWith("\"numClasses\":10", "\"numClasses\":3000000000"),
                "field 'network.numClasses' must be a 32-bit integer");
        refused(lenetWith("\"learningRate\":0.001", "\"learningRate\":\"fast\""),
                "field 'network.learningRate' must be a number");
        refused(lenetWith("\"pretrained\":[]", "\"pretrained\":{}"), "field 'pretrained' must be an array, got {}");
        refused(lenetWith("\"pretrained\":[]", "\"pretrained\":[null]"), "field 'pretrained[0]' must not be null");
        refused(lenetWith("\"pretrained\":[]", "\"pretrained\":[7]"), "field 'pretrained[0]' must be a string, got 7");
        refused(lenetWith("\"dataType\":\"FLOAT\"", "\"dataType\":null"), "field 'dataType' must not be null");
        refused(lenetWith(",\"modelsPerIteration\":1", ""), "field 'modelsPerIteration' is missing");
        refused(lenetWith("\"network\":{", "\"network\":[{").replace("},\"mode\"", "}],\"mode\""),
                "field 'network' must be an object");
    }

    @Test
    void aMalformedDocumentSaysWhatIsWrong() {
        refused("[1, 2]", "must be a JSON object");
        refused(lenetWith("distill-mesh/init-spec", "something/else"), "not an init spec");
        refused(lenetWith("\"version\":1", "\"version\":2"), "unknown init spec version 2");
        refused(lenetWith("\"version\":1", "\"version\":\"1\""), "'version' must be an integer");
        refused(lenetWith("\"CNN\"", "\"RNN\""), "unknown architecture 'RNN'");
        refused(lenetWith("\"mode\":\"FIXED\"", "\"mode\":\"FIXED\",\"mode\":\"RANDOM\""), "Duplicate field 'mode'");
        refused(LENET_JSON + " {}", "not valid JSON");
        refused(LENET_JSON.substring(0, 60), "not valid JSON");
        refused(lenetWith("\"seed\":42", "\"seed\":42,"), "not valid JSON");
    }

    @Test
    void aMalformedInitSpecInAFileNamesTheFileAndTheField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("broken.dmds");
        byte[] good = Files.readAllBytes(SHIPPED);
        Files.write(file, withInitSpec(good, lenetWith("[6,16]", "[6,\"sixteen\"]")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DistilledArtifact.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("field 'network.channels[1]' must be a 32-bit integer"), e.getMessage());
    }

    /** The artifact with its init spec replaced and its SHA-256 recomputed (a consistent file, as a tool would write). */
    private static byte[] withInitSpec(byte[] artifact, String json) throws Exception {
        byte[] spec = json.getBytes(StandardCharsets.UTF_8);
        byte[] old = LENET_JSON.getBytes(StandardCharsets.UTF_8);
        int jsonAt = indexOf(artifact, old);
        assertEquals(old.length, ByteBuffer.wrap(artifact, jsonAt - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt());
        int rest = artifact.length - 32 - (jsonAt + old.length);
        ByteBuffer out = ByteBuffer.allocate(jsonAt + spec.length + rest + 32).order(ByteOrder.LITTLE_ENDIAN);
        out.put(Arrays.copyOf(artifact, jsonAt - 4)).putInt(spec.length).put(spec)
                .put(artifact, jsonAt + old.length, rest);
        out.put(MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(out.array(), out.position())));
        return out.array();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        throw new AssertionError("the artifact holds no LeNet init spec");
    }

    private static String lenetWith(String from, String to) {
        assertTrue(LENET_JSON.contains(from), from);
        return LENET_JSON.replace(from, to);
    }

    private static void refused(String json, String part) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InitSpecJson.read(json), json);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' should mention " + part);
    }
}
