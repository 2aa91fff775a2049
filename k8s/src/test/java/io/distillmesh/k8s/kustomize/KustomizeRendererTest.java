package io.distillmesh.k8s.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.k8s.ProjectLayout;
import io.distillmesh.k8s.model.YamlDocuments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The renderer on the project's kustomizations, and each of its features and refusals on small ones. */
class KustomizeRendererTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                    - name: web
                      image: ghcr.io/distill-mesh/teacher:old
                      ports:
                        - containerPort: 8081
                      env:
                        - {name: A, value: "1"}
                        - {name: B, value: "2"}
            """;
    private static final String KUSTOMIZATION = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n";

    @TempDir
    Path dir;

    @Test
    void baseAndOverlaysRenderWithUniqueResources() {
        for (Path k : List.of(ProjectLayout.base(), ProjectLayout.overlay("dev"), ProjectLayout.overlay("prod"))) {
            List<ObjectNode> resources = KustomizeRenderer.render(k);
            Set<String> ids = new HashSet<>();
            resources.forEach(r -> assertTrue(ids.add(ResourceId.of(r).toString()), "duplicate " + ResourceId.of(r)));
            assertTrue(resources.size() > 20, k + " rendered " + resources.size());
        }
    }

    @Test
    void devRunsOneStudentAndProdThree() {
        assertEquals(1, count(KustomizeRenderer.render(ProjectLayout.overlay("dev")), "Deployment", "student-"));
        assertEquals(3, count(KustomizeRenderer.render(ProjectLayout.overlay("prod")), "Deployment", "student-"));
        for (String overlay : List.of("dev", "prod")) {
            assertEquals(1, count(KustomizeRenderer.render(ProjectLayout.overlay(overlay)), "Deployment", "evaluator"), overlay);
        }
    }

    @Test
    void prodPatchesMergeIntoTheBase() {
        List<ObjectNode> prod = KustomizeRenderer.render(ProjectLayout.overlay("prod"));
        assertEquals(3, find(prod, "KafkaNodePool", "dual-role").at("/spec/replicas").asInt());
        assertEquals("persistent-claim", find(prod, "KafkaNodePool", "dual-role").at("/spec/storage/type").asText());
        JsonNode teacher = find(prod, "Deployment", "teacher").at("/spec/template/spec/containers/0");
        assertEquals("4", teacher.at("/resources/limits/cpu").asText());
        assertEquals(4, teacher.get("env").size(), "env merged by name: " + teacher.get("env"));
        assertEquals("4", teacher.get("env").get(3).get("value").asText());
        assertFalse(teacher.path("livenessProbe").isMissingNode());
        prod.stream().filter(r -> r.path("kind").asText().equals("KafkaTopic"))
                .forEach(t -> assertEquals(3, t.at("/spec/replicas").asInt(), t.toString()));
        JsonNode client = find(prod, "ConfigMap", "kafka-client").get("data");
        assertEquals("3", client.get("DM_TOPIC_REPLICATION_FACTOR").asText());
        assertEquals("SASL_SSL", client.get("DM_KAFKA_SECURITY_PROTOCOL").asText());
    }

    @Test
    void namespaceLabelsAndImagesAreApplied() {
        List<ObjectNode> dev = KustomizeRenderer.render(ProjectLayout.overlay("dev"));
        for (ObjectNode r : dev) {
            boolean namespaced = !r.path("kind").asText().equals("Namespace");
            assertEquals(namespaced, r.at("/metadata/namespace").asText().equals("distill-mesh"), r.toString());
            assertEquals("distill-mesh", r.at("/metadata/labels/app.kubernetes.io~1part-of").asText());
            assertEquals("dev", r.at("/metadata/labels/distill-mesh.io~1environment").asText());
        }
        JsonNode teacher = find(dev, "Deployment", "teacher");
        assertEquals("distill-mesh", teacher.at("/spec/template/metadata/labels/app.kubernetes.io~1part-of").asText());
        assertTrue(teacher.at("/spec/template/metadata/labels/distill-mesh.io~1environment").isMissingNode(),
                "includeTemplates is not set for the environment label");
        assertTrue(teacher.at("/spec/selector/matchLabels/app.kubernetes.io~1part-of").isMissingNode(), "selectors untouched");
        assertEquals("ghcr.io/distill-mesh/teacher:0.1.0-SNAPSHOT", teacher.at("/spec/template/spec/containers/0/image").asText());
        assertEquals("ghcr.io/distill-mesh/teacher:0.1.0-SNAPSHOT", teacher.at("/spec/template/spec/initContainers/0/image").asText());
    }

    @Test
    void imagesReplicasAndInlinePatches() {
        write("web.yaml", DEPLOYMENT);
        write("kustomization.yaml", KUSTOMIZATION + """
                resources: [web.yaml]
                replicas:
                  - {name: web, count: 3}
                images:
                  - {name: ghcr.io/distill-mesh/teacher, newName: registry.local/teacher, newTag: "2"}
                patches:
                  - patch: |
                      apiVersion: apps/v1
                      kind: Deployment
                      metadata: {name: web}
                      spec:
                        template:
                          spec:
                            containers:
                              - name: web
                                env:
                                  - {name: B, value: "two"}
                                  - {name: C, value: "3"}
                                ports: null
                """);
        ObjectNode web = KustomizeRenderer.render(dir).get(0);
        assertEquals(3, web.at("/spec/replicas").asInt());
        JsonNode container = web.at("/spec/template/spec/containers/0");
        assertEquals("registry.local/teacher:2", container.get("image").asText());
        assertEquals("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"two\"},{\"name\":\"C\",\"value\":\"3\"}]",
                container.get("env").toString());
        assertFalse(container.has("ports"), "null deletes");
    }

    @Test
    void customResourceListsAreReplacedNotMerged() {
        ObjectNode target = (ObjectNode) YamlDocuments.parse("spec: {triggers: [{type: a}, {type: b}]}").get(0);
        StrategicMergePatch.apply(target, YamlDocuments.parse("spec: {triggers: [{type: c}]}").get(0), false);
        assertEquals("[{\"type\":\"c\"}]", target.at("/spec/triggers").toString());
    }

    @Test
    void serviceAndContainerPortsMergeOnTheirOwnKeys() {
        ObjectNode service = (ObjectNode) YamlDocuments.parse("spec: {ports: [{name: http, port: 80, targetPort: http}]}").get(0);
        StrategicMergePatch.apply(service, YamlDocuments.parse("spec: {ports: [{port: 80, targetPort: 8080}]}").get(0), true);
        assertEquals("[{\"name\":\"http\",\"port\":80,\"targetPort\":8080}]", service.at("/spec/ports").toString());
    }

    @Test
    void twoResourcesWithOneIdAreRefused() {
        write("a.yaml", DEPLOYMENT);
        write("b.yaml", DEPLOYMENT);
        write("kustomization.yaml", KUSTOMIZATION + "resources: [a.yaml, b.yaml]\n");
        var e = assertThrows(IllegalArgumentException.class, () -> KustomizeRenderer.render(dir));
        assertTrue(e.getMessage().contains("already registered id"), e.getMessage());
    }

    @Test
    void aPatchThatMatchesNothingIsRefused() {
        write("web.yaml", DEPLOYMENT);
        write("p.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: webb}\nspec: {replicas: 2}\n");
        write("kustomization.yaml", KUSTOMIZATION + "resources: [web.yaml]\npatches:\n  - path: p.yaml\n");
        var e = assertThrows(IllegalArgumentException.class, () -> KustomizeRenderer.render(dir));
        assertTrue(e.getMessage().contains("matches no resource"), e.getMessage());
    }

    @Test
    void fieldsTheRendererDoesNotImplementAreRefused() {
        write("web.yaml", DEPLOYMENT);
        write("kustomization.yaml", KUSTOMIZATION + "namePrefix: x-\nresources: [web.yaml]\n");
        var e = assertThrows(UncheckedIOException.class, () -> KustomizeRenderer.render(dir));
        assertTrue(e.getMessage().contains("namePrefix"), e.getMessage());
        write("kustomization.yaml", KUSTOMIZATION + "resources: [web.yaml]\nlabels:\n  - pairs: {a: b}\n    includeSelectors: true\n");
        assertThrows(UncheckedIOException.class, () -> KustomizeRenderer.render(dir));
        ObjectNode target = deploymentTree();
        assertThrows(UnsupportedOperationException.class, () -> StrategicMergePatch.apply(target,
                YamlDocuments.parse("spec: {$patch: replace}").get(0), true));
    }

    @Test
    void replicasForAnUnknownWorkloadAreRefused() {
        write("web.yaml", DEPLOYMENT);
        write("kustomization.yaml", KUSTOMIZATION + "resources: [web.yaml]\nreplicas:\n  - {name: api, count: 2}\n");
        assertThrows(IllegalArgumentException.class, () -> KustomizeRenderer.render(dir));
    }

    private static ObjectNode deploymentTree() {
        return YamlDocuments.parse(DEPLOYMENT).get(0);
    }

    private void write(String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long count(List<ObjectNode> resources, String kind, String namePrefix) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind))
                .filter(r -> r.at("/metadata/name").asText().startsWith(namePrefix)).count();
    }

    private static JsonNode find(List<ObjectNode> resources, String kind, String name) {
        return resources.stream().filter(r -> r.path("kind").asText().equals(kind))
                .filter(r -> r.at("/metadata/name").asText().equals(name)).findFirst().orElseThrow();
    }
}
