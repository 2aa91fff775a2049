package io.distillmesh.k8s;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.distillmesh.k8s.model.TypedManifests;
import io.distillmesh.k8s.model.YamlDocuments;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.strimzi.api.kafka.model.kafka.Kafka;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The typed parsing refuses what the API server (or the CRD's schema) would refuse. */
class StrictParsingTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              selector:
                matchLabels: {app: d}
              template:
                metadata:
                  labels: {app: d}
                spec:
                  containers:
                    - name: c
                      image: ghcr.io/distill-mesh/teacher:1
                      ports:
                        - containerPort: 8081
                      env:
                        - name: DM_HTTP_PORT
                          value: "8081"
            """;
    private static final String KAFKA = """
            apiVersion: kafka.strimzi.io/v1
            kind: Kafka
            metadata:
              name: k
            spec:
              kafka:
                listeners:
                  - name: tls
                    port: 9093
                    type: internal
                    tls: true
            """;
    private static final String SCALED_OBJECT = """
            apiVersion: keda.sh/v1alpha1
            kind: ScaledObject
            metadata:
              name: s
            spec:
              scaleTargetRef:
                name: d
              maxReplicaCount: 1
              triggers:
                - type: kafka
                  metadata:
                    bootstrapServers: k:9093
                    consumerGroup: student-a
                    topic: dm.soft-targets.run-1
            """;

    @Test
    void validDocumentsParseIntoTheirModels() {
        assertEquals("c", parse(DEPLOYMENT, Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getName());
        assertEquals(9093, parse(KAFKA, Kafka.class).getSpec().getKafka().getListeners().get(0).getPort());
        TypedManifests.parse(doc(SCALED_OBJECT));
    }

    @Test
    void anUnknownFieldFailsWithItsPath() {
        String typo = DEPLOYMENT.replace("\n          ports:", "\n          livenessProbes: {}\n          ports:");
        var e = assertThrows(TypedManifests.InvalidManifestException.class, () -> TypedManifests.parse(doc(typo)));
        assertTrue(e.getMessage().contains("livenessProbes"), e.getMessage());
    }

    @Test
    void anUnknownFieldInACustomResourceFails() {
        String typo = KAFKA.replace("\n    listeners:", "\n    listner: []\n    listeners:");
        var e = assertThrows(TypedManifests.InvalidManifestException.class, () -> TypedManifests.parse(doc(typo)));
        assertTrue(e.getMessage().contains("listner"), e.getMessage());
    }

    @Test
    void aFieldOfAnotherApiVersionFails() {
        String v1beta2Only = KAFKA.replace("  kafka:\n", "  kafka:\n    replicas: 3\n");
        var e = assertThrows(TypedManifests.InvalidManifestException.class, () -> TypedManifests.parse(doc(v1beta2Only)));
        assertTrue(e.getMessage().contains("spec.kafka.replicas: not in API version v1"), e.getMessage());
    }

    @Test
    void anAclWithTheRemovedSingularOperationFails() {
        String user = """
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata:
                  name: u
                spec:
                  authorization:
                    type: simple
                    acls:
                      - resource: {type: topic, name: t}
                        operation: Read
                """;
        var e = assertThrows(TypedManifests.InvalidManifestException.class, () -> TypedManifests.parse(doc(user)));
        assertTrue(e.getMessage().contains("acls[0].operation: not in API version v1"), e.getMessage());
    }

    @Test
    void aNumberWhereAStringBelongsFails() {
        String unquoted = DEPLOYMENT.replace("value: \"8081\"", "value: 8081");
        assertRefused(unquoted, "coerce");
        String configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  DM_HTTP_PORT: 8081\n";
        assertRefused(configMap, "coerce");
    }

    @Test
    void aStringWhereANumberBelongsFails() {
        String quoted = DEPLOYMENT.replace("containerPort: 8081", "containerPort: \"8081\"");
        assertRefused(quoted, "coerce");
    }

    @Test
    void unknownKindsWrongVersionsAndSecretsAreRefused() {
        String oldPdb = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata: {name: p}\n";
        assertRefused(oldPdb, "no typed model");
        String secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {token: hunter2}\n";
        var e = assertThrows(TypedManifests.InvalidManifestException.class, () -> TypedManifests.parse(doc(secret)));
        assertTrue(e.getMessage().contains("never written"), e.getMessage());
    }

    @Test
    void duplicateKeysFail() {
        assertThrows(UncheckedIOException.class, () -> YamlDocuments.parse("a: 1\na: 2\n"));
    }

    @Test
    void aScaledObjectOutsideTheHandWrittenSchemaFails() {
        String unknownField = SCALED_OBJECT.replace("  maxReplicaCount: 1", "  maxReplicas: 1");
        assertRefused(unknownField, "maxReplicas");
        String unknownKey = SCALED_OBJECT.replace("        topic: dm", "        consumerGroups: x\n        topic: dm");
        var e = assertThrows(TypedManifests.InvalidManifestException.class, () -> TypedManifests.parse(doc(unknownKey)));
        assertTrue(e.getMessage().contains("consumerGroups"), e.getMessage());
        String booleanValue = SCALED_OBJECT.replace("        topic: dm", "        allowIdleConsumers: false\n        topic: dm");
        assertRefused(booleanValue, "coerce");
        String badPolicy = SCALED_OBJECT.replace("        topic: dm", "        offsetResetPolicy: oldest\n        topic: dm");
        assertRefused(badPolicy, "offsetResetPolicy must be one of");
        String otherType = SCALED_OBJECT.replace("type: kafka", "type: rabbitmq");
        assertRefused(otherType, "no schema for KEDA trigger type");
    }

    @Test
    void aPodMonitorWithAnUnknownFieldFails() {
        String monitor = """
                apiVersion: monitoring.coreos.com/v1
                kind: PodMonitor
                metadata: {name: m}
                spec:
                  selector: {}
                  podMetricsEndpoints:
                    - port: http
                      metricsPath: /metrics
                """;
        assertRefused(monitor, "metricsPath");
    }

    private static void assertRefused(String yaml, String reason) {
        var e = assertThrows(TypedManifests.InvalidManifestException.class, () -> TypedManifests.parse(doc(yaml)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    private static ObjectNode doc(String yaml) {
        return YamlDocuments.parse(yaml).get(0);
    }

    private static <T> T parse(String yaml, Class<T> type) {
        return TypedManifests.parse(doc(yaml), type);
    }
}
