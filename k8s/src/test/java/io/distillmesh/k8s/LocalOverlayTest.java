package io.distillmesh.k8s;

import io.distillmesh.k8s.invariants.RenderedOverlay;
import io.distillmesh.k8s.invariants.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Volume;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * k8s/overlays/local as kubectl renders it, held to what podman kube play (4.3) can run: bin/local-cluster-up
 * plays exactly this output. Each check is a trap that stopped or silently broke a play.
 */
class LocalOverlayTest {
    private static RenderedOverlay local;

    @BeforeAll
    static void render() {
        local = RenderedOverlay.render("local", ProjectLayout.overlay("local"));
    }

    @Test
    void theServicesTalkPlaintextToTheBrokerPodByItsName() {
        Map<String, String> kafka = local.configMap("kafka-client").map(ConfigMap::getData).orElseThrow();
        assertEquals("kafka:9092", kafka.get("DM_KAFKA_BOOTSTRAP_SERVERS"));
        assertEquals("PLAINTEXT", kafka.get("DM_KAFKA_SECURITY_PROTOCOL"));
        Pod broker = local.named(Pod.class, "kafka").orElseThrow(() -> new AssertionError("no broker Pod named kafka"));
        Container container = broker.getSpec().getContainers().get(0);
        assertTrue(container.getImage().startsWith("ghcr.io/distill-mesh/kafka-broker:"), container.getImage());
        assertEquals("kafka", env(container, "DM_BROKER_ADVERTISED_HOST"), "the broker advertises the name clients resolve");
        assertEquals("Always", broker.getSpec().getRestartPolicy(), "a killed broker comes back");
    }

    @Test
    void podsNeedOnlyTheLocalSecretsAndNoSecretVolumes() {
        for (PodSpec pod : podSpecs()) {
            for (Volume v : pod.getVolumes()) {
                assertTrue(v.getSecret() == null, "podman 4.3 panics on a secret volume: " + v.getName());
            }
            for (Container c : pod.getContainers()) {
                for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                    if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null) {
                        assertTrue(List.of("teacher-auth", "evaluator-auth", "distiller-auth")
                                .contains(e.getValueFrom().getSecretKeyRef().getName()), c.getName() + " " + e.getName());
                    }
                }
            }
        }
    }

    @Test
    void noInitContainersAndProbesOnNumericPorts() {
        for (PodSpec pod : podSpecs()) {
            assertTrue(pod.getInitContainers() == null || pod.getInitContainers().isEmpty(), "init containers are flaky in podman");
            for (Container c : pod.getContainers()) {
                for (Probe p : Stream.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())
                        .filter(p -> p != null && p.getHttpGet() != null).toList()) {
                    assertTrue(p.getHttpGet().getPort().getIntVal() != null,
                            c.getName() + ": podman turns the named probe port " + p.getHttpGet().getPort() + " into 0");
                }
            }
        }
    }

    @Test
    void everyEmptyDirHasANameNoOtherPodUses() {
        // podman makes an emptyDir a named volume: two pods naming it "tmp" would share one /tmp
        Map<String, Integer> uses = new HashMap<>();
        for (PodSpec pod : podSpecs()) {
            pod.getVolumes().stream().filter(v -> v.getEmptyDir() != null).forEach(v -> uses.merge(v.getName(), 1, Integer::sum));
        }
        uses.forEach((name, count) -> assertEquals(1, count, "emptyDir " + name + " in " + count + " pods"));
        assertTrue(uses.size() >= podSpecs().size(), "every pod has its own /tmp: " + uses.keySet());
    }

    @Test
    void onlyTheSharedCheckpointsAndTheBrokersLogAreClaimsAndTheDataComesFromTheHost() {
        List<String> claims = local.all(PersistentVolumeClaim.class).stream().map(c -> c.getMetadata().getName()).sorted().toList();
        assertEquals(List.of("kafka-data", "mesh-artifacts"), claims);
        for (PodSpec pod : podSpecs()) {
            for (Volume v : pod.getVolumes()) {
                if (v.getPersistentVolumeClaim() != null) {
                    assertTrue(claims.contains(v.getPersistentVolumeClaim().getClaimName()), v.getName());
                }
                if (v.getHostPath() != null) {
                    assertEquals("/usr/share/datasets/fashion-mnist", v.getHostPath().getPath(), v.getName());
                }
            }
        }
    }

    private static List<PodSpec> podSpecs() {
        List<PodSpec> specs = new ArrayList<>();
        local.workloads().stream().map(Workload::template).forEach(t -> specs.add(t.getSpec()));
        local.all(Pod.class).forEach(p -> specs.add(p.getSpec()));
        return specs;
    }

    private static String env(Container c, String name) {
        return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue).findFirst().orElse(null);
    }
}
