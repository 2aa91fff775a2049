package io.distillmesh.k8s.kustomize;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kubectl kustomize on small kustomizations: its output read document by document, its failures reported. */
class KubectlKustomizeTest {
    private static final String RESOURCES = """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: web
            data:
              A: "1"
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              ports:
                - port: 80
            """;
    private static final String KUSTOMIZATION = """
            apiVersion: kustomize.config.k8s.io/v1beta1
            kind: Kustomization
            namespace: shop
            resources: [web.yaml]
            patches:
              - patch: |
                  apiVersion: v1
                  kind: ConfigMap
                  metadata: {name: %s}
                  data: {A: "2"}
            """;

    @TempDir
    Path dir;

    @Test
    void everyDocumentOfTheBuildIsRead() throws IOException {
        write(KUSTOMIZATION.formatted("web"));
        List<ObjectNode> resources = KubectlKustomize.onPath().render(dir);
        assertEquals(List.of("ConfigMap", "Service"), resources.stream().map(r -> r.path("kind").asText()).toList());
        resources.forEach(r -> assertEquals("shop", r.at("/metadata/namespace").asText(), r.toString()));
        assertEquals("2", resources.get(0).at("/data/A").asText());
    }

    @Test
    void aFailedBuildCarriesKubectlsMessage() throws IOException {
        write(KUSTOMIZATION.formatted("webb"));
        var e = assertThrows(IllegalStateException.class, () -> KubectlKustomize.onPath().render(dir));
        assertTrue(e.getMessage().contains("kubectl kustomize " + dir + " failed (exit 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("no matches for Id ConfigMap.v1.[noGrp]/webb"), e.getMessage());
    }

    @Test
    void aKubectlThatCannotRunIsNamed() throws IOException {
        write(KUSTOMIZATION.formatted("web"));
        Path missing = dir.resolve("bin/kubectl");
        var e = assertThrows(IllegalStateException.class, () -> new KubectlKustomize(missing.toString()).render(dir));
        assertTrue(e.getMessage().startsWith("cannot run " + missing), e.getMessage());
        assertTrue(e.getMessage().contains("kubectl 1.32 or later"), e.getMessage());
    }

    private void write(String kustomization) throws IOException {
        Files.writeString(dir.resolve("web.yaml"), RESOURCES);
        Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
    }
}
