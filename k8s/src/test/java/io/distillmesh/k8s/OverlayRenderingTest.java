package io.distillmesh.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.k8s.invariants.RenderedOverlay;
import io.distillmesh.k8s.kustomize.KubectlKustomize;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.PersistentClaimStorage;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overlays and the fixtures as kustomize renders them: each into typed models, and the overlays with what
 * their kustomizations mean (students, merged patches, the environment label on resources only).
 */
class OverlayRenderingTest {
    private static final String ENVIRONMENT = "distill-mesh.io/environment";

    @TestFactory
    List<DynamicTest> everyOverlayAndFixtureRendersIntoTypedModels() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : Overlays.names()) {
            tests.add(DynamicTest.dynamicTest("overlay " + name,
                    () -> assertTrue(Overlays.rendered(name).resources().size() > 20)));
        }
        for (String name : ProjectLayout.fixtureNames()) {
            tests.add(DynamicTest.dynamicTest("fixture " + name, () -> assertTrue(
                    RenderedOverlay.render(name, ProjectLayout.fixture(name)).resources().size() > 20)));
        }
        return tests;
    }

    @Test
    void devRunsOneStudentAndProdTheDemosThreeAndASpecialist() {
        assertEquals(List.of("student-kd-t4"), students("dev"));
        assertEquals(List.of("student-baseline", "student-kd-t2", "student-kd-t4", "student-specialist-tops"),
                students("prod"));
    }

    @Test
    void prodsPatchesMergeIntoTheBase() {
        RenderedOverlay prod = Overlays.rendered("prod");
        KafkaNodePool pool = prod.named(KafkaNodePool.class, "dual-role").orElseThrow();
        assertEquals(3, pool.getSpec().getReplicas());
        PersistentClaimStorage storage = (PersistentClaimStorage) pool.getSpec().getStorage();
        assertEquals("100Gi", storage.getSize(), "the patch's size");
        assertFalse(storage.isDeleteClaim(), "the base's deleteClaim");
        Container teacher = prod.named(Deployment.class, "teacher").orElseThrow()
                .getSpec().getTemplate().getSpec().getContainers().get(0);
        assertEquals(new Quantity("4"), teacher.getResources().getLimits().get("cpu"));
        Map<String, EnvVar> env = new HashMap<>();
        teacher.getEnv().forEach(v -> env.put(v.getName(), v));
        assertEquals("4", env.get("OMP_NUM_THREADS").getValue(), "the patch's value replaces the base's");
        assertEquals("teacher-auth", env.get("DM_AUTH_TOKEN").getValueFrom().getSecretKeyRef().getName(),
                "the base's other variables stay (env merges by name)");
        assertEquals(5, teacher.getEnv().size());
        prod.all(KafkaTopic.class).forEach(t -> assertEquals(3, t.getSpec().getReplicas(), t.getMetadata().getName()));
        assertEquals("3", prod.configMap("kafka-client").orElseThrow().getData().get("DM_TOPIC_REPLICATION_FACTOR"));
    }

    @Test
    void theEnvironmentLabelIsOnEveryResourceAndNowhereInASpec() {
        for (String name : Overlays.names()) {
            for (ObjectNode r : KubectlKustomize.onPath().render(ProjectLayout.overlay(name))) {
                String what = name + ": " + r.path("kind").asText() + "/" + r.at("/metadata/name").asText();
                assertEquals(name, r.at("/metadata/labels").path(ENVIRONMENT).asText(), what);
                // not in selectors (a Deployment's cannot change once applied) nor, through templates, on pods
                assertTrue(r.path("spec").findValues(ENVIRONMENT).isEmpty(), what + " spec");
            }
        }
    }

    private static List<String> students(String overlay) {
        return Overlays.rendered(overlay).all(Deployment.class).stream().map(d -> d.getMetadata().getName())
                .filter(n -> n.startsWith("student-")).sorted().toList();
    }
}
