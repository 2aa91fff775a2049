package io.distillmesh.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.k8s.model.ManifestFiles;
import io.distillmesh.k8s.model.TypedManifests;
import io.distillmesh.k8s.model.YamlDocuments;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Every document of every manifest under k8s/ (patches included) parses into its typed model, strictly. */
class ManifestsParseTest {
    @Test
    void thereAreManifests() {
        assertFalse(ManifestFiles.all().isEmpty());
    }

    @TestFactory
    List<DynamicTest> everyDocumentParsesStrictly() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : ManifestFiles.all()) {
            List<ObjectNode> docs = YamlDocuments.read(file);
            for (int i = 0; i < docs.size(); i++) {
                ObjectNode doc = docs.get(i);
                String name = ProjectLayout.k8s().relativize(file) + "#" + i + " " + doc.path("kind").asText()
                        + "/" + doc.path("metadata").path("name").asText();
                tests.add(DynamicTest.dynamicTest(name, () -> assertNotNull(TypedManifests.parse(doc))));
            }
        }
        return tests;
    }
}
