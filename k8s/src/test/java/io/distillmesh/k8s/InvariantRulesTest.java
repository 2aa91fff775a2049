package io.distillmesh.k8s;

import io.distillmesh.k8s.invariants.ArtifactsRule;
import io.distillmesh.k8s.invariants.DisruptionBudgetRule;
import io.distillmesh.k8s.invariants.GpuRule;
import io.distillmesh.k8s.invariants.HealthEndpointRule;
import io.distillmesh.k8s.invariants.ImageRule;
import io.distillmesh.k8s.invariants.InvariantRule;
import io.distillmesh.k8s.invariants.KafkaClientRule;
import io.distillmesh.k8s.invariants.KafkaNetworkRule;
import io.distillmesh.k8s.invariants.MeshScopeRule;
import io.distillmesh.k8s.invariants.MonitoringRule;
import io.distillmesh.k8s.invariants.ProbesAndResourcesRule;
import io.distillmesh.k8s.invariants.RenderedOverlay;
import io.distillmesh.k8s.invariants.SecretReferenceRule;
import io.distillmesh.k8s.invariants.ServiceConfigRule;
import io.distillmesh.k8s.invariants.ServiceEnvRule;
import io.distillmesh.k8s.invariants.StudentScalingRule;
import io.distillmesh.k8s.invariants.TopicsRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each invariant can fail: a bad overlay (src/test/resources/fixtures/NAME: the base with one mistake
 * patched in) is rejected by its rule with the expected reason, while the same rule passes on a good overlay
 * (dev; prod for the rule of an overlay with GPUs, where the distiller must ask for one).
 */
class InvariantRulesTest {
    static Stream<Arguments> badOverlays() {
        return Stream.of(
                Arguments.of("dev", "unscoped-resource", new MeshScopeRule(), "ConfigMap/extra: in namespace null, not distill-mesh"),
                Arguments.of("dev", "missing-probe", new ProbesAndResourcesRule(), "container teacher: no livenessProbe"),
                Arguments.of("dev", "missing-limits", new ProbesAndResourcesRule(), "container student: no cpu limit"),
                Arguments.of("dev", "unread-env", new ServiceEnvRule(), "sets [DM_MODEL_DIR] which teacher does not read"),
                Arguments.of("dev", "unset-env", new ServiceEnvRule(), "teacher reads [DM_DATA_DIR] but they are not set"),
                Arguments.of("prod", "misnamed-config-file", new ServiceEnvRule(),
                        "config file /etc/distill-mesh/student.json: ConfigMap student-specialist-tops-config has no key for student.json"),
                Arguments.of("prod", "unread-config-key", new ServiceEnvRule(),
                        "config file /etc/distill-mesh/config.json sets [student.blocks] which student does not read"),
                Arguments.of("prod", "declared-key-in-config-file", new ServiceEnvRule(),
                        "config file /etc/distill-mesh/config.json sets [student.alpha], which have DM_ variables"),
                Arguments.of("prod", "specialist-sets-hidden", new ServiceEnvRule(), "sets [DM_STUDENT_HIDDEN] which student does not read"),
                Arguments.of("dev", "inline-secret", new SecretReferenceRule(), "DM_AUTH_TOKEN comes from LITERAL"),
                Arguments.of("dev", "wrong-image", new ImageRule(), "ghcr.io/distill-mesh/teachr is built by no module"),
                Arguments.of("prod", "gpu-student", new GpuRule(true), "asks for a GPU but only the distiller may"),
                Arguments.of("dev", "gpu-student", new GpuRule(false), "asks for a GPU in an overlay without GPUs"),
                Arguments.of("prod", "gpu-distiller-cpu-image", new GpuRule(true), "not the CUDA image (tag suffix -cuda11.6"),
                Arguments.of("prod", "gpu-distiller-cpu-image", new GpuRule(true), "its pod is not pinned to GPU nodes"),
                Arguments.of("dev", "pdb-gap", new DisruptionBudgetRule(), "covered by 0 PodDisruptionBudgets"),
                Arguments.of("dev", "open-kafka", new KafkaNetworkRule(), "no networkPolicyPeers, so every pod may connect"),
                Arguments.of("dev", "wrong-group", new StudentScalingRule(), "consumerGroup is kd-t4, expected student-kd-t4"),
                Arguments.of("prod", "specialist-wrong-topic", new StudentScalingRule(),
                        "ScaledObject/student-specialist-tops kafka trigger topic is dm.soft-targets.run-2, expected dm.soft-targets.run-1"),
                Arguments.of("dev", "rf-above-brokers", new TopicsRule(), "DM_TOPIC_REPLICATION_FACTOR is 3 but there are 1 brokers"),
                Arguments.of("dev", "bad-student-spec", new ServiceConfigRule(), "alpha must be in [0, 1]"),
                Arguments.of("prod", "bad-specialist-classes", new ServiceConfigRule(), "specialist classes must be distinct and in 0..9"),
                Arguments.of("prod", "misnamed-config-file", new ServiceConfigRule(), "its config file /etc/distill-mesh/student.json is not in the pod"),
                Arguments.of("dev", "unscraped", new MonitoringRule(), "no PodMonitor or ServiceMonitor scrapes"),
                Arguments.of("dev", "wrong-port", new HealthEndpointRule(), "port http is 8082 but DM_HTTP_PORT is 9000"),
                Arguments.of("dev", "plaintext-client", new KafkaClientRule(), "DM_KAFKA_SECURITY_PROTOCOL is PLAINTEXT"),
                Arguments.of("dev", "artifacts-elsewhere", new ArtifactsRule(true),
                        "student: writes checkpoints to claim mesh-artifacts at /artifacts, where no evaluator reads them"),
                Arguments.of("dev", "artifacts-elsewhere", new ArtifactsRule(true), "DM_ARTIFACTS_DIR /models must be mounted read-only"),
                Arguments.of("dev", "distilled-elsewhere", new ArtifactsRule(true),
                        "distiller: writes distilled sets inside claim distiller-models at /models, where no evaluator reads them"),
                Arguments.of("dev", "distilled-elsewhere", new ArtifactsRule(true), "DM_ARTIFACTS_DIR /models/distilled must be mounted read-write"));
    }

    @ParameterizedTest(name = "{1}: {2}")
    @MethodSource("badOverlays")
    void theRuleRejectsTheBadOverlay(String goodOverlay, String fixture, InvariantRule rule, String reason) {
        assertEquals(List.of(), rule.check(Overlays.rendered(goodOverlay)), "the rule holds on " + goodOverlay);
        RenderedOverlay bad = RenderedOverlay.render(fixture, ProjectLayout.fixture(fixture));
        List<String> violations = rule.check(bad);
        assertTrue(violations.stream().anyMatch(v -> v.contains(reason)), "expected '" + reason + "' in " + violations);
    }

    @Test
    void everyFixtureIsTheBadOverlayOfARule() {
        assertEquals(ProjectLayout.fixtureNames(), badOverlays().map(a -> (String) a.get()[1]).distinct().sorted().toList());
    }

    @Test
    void devsReadWriteOnceArtifactsVolumeHoldsOnlyOnOneNode() {
        assertEquals(List.of(), new ArtifactsRule(true).check(Overlays.rendered("dev")));
        List<String> violations = new ArtifactsRule(false).check(Overlays.rendered("dev"));
        assertTrue(violations.stream().anyMatch(v -> v.startsWith("PersistentVolumeClaim/mesh-artifacts: mounted by")
                && v.endsWith("access modes are [ReadWriteOnce], not ReadWriteMany")), violations.toString());
    }
}
