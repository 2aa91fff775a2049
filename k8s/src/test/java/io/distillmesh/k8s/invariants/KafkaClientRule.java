package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.strimzi.api.kafka.model.user.KafkaUser;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A mesh service's Kafka settings fit the Strimzi cluster of the overlay: the bootstrap address is a
 * listener's; security.protocol and SASL mechanism are what that listener needs; the JAAS config is the
 * sasl.jaas.config key of a KafkaUser's Secret; the truststore is the cluster CA Secret mounted where
 * DM_KAFKA_SSL_TRUSTSTORE_LOCATION points, with that Secret's password.
 */
public final class KafkaClientRule implements InvariantRule {
    @Override
    public String name() {
        return "Kafka client settings";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.serviceContainers()) {
                check(w, c, overlay, violations);
            }
        }
        return violations;
    }

    private static void check(Workload w, Container c, RenderedOverlay overlay, List<String> violations) {
        String where = w.where(c);
        ContainerEnv env = new ContainerEnv(c, overlay);
        String bootstrap = env.value("DM_KAFKA_BOOTSTRAP_SERVERS").orElse(null);
        var found = KafkaListeners.forBootstrap(bootstrap, overlay);
        if (found.isEmpty()) {
            violations.add(where + ": DM_KAFKA_BOOTSTRAP_SERVERS " + bootstrap + " is no listener of a Kafka in the overlay");
            return;
        }
        KafkaListeners kl = found.get();
        expect(where, env, "DM_KAFKA_SECURITY_PROTOCOL", kl.securityProtocol(), violations);
        if (kl.scram()) {
            expect(where, env, "DM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", violations);
            ContainerEnv.Source jaas = env.vars().get("DM_KAFKA_SASL_JAAS_CONFIG");
            boolean fromUser = jaas != null && jaas.kind() == ContainerEnv.Kind.SECRET && "sasl.jaas.config".equals(jaas.key())
                    && overlay.named(KafkaUser.class, jaas.ref()).filter(u -> cluster(u).equals(kl.clusterName())).isPresent();
            if (!fromUser) {
                violations.add(where + ": DM_KAFKA_SASL_JAAS_CONFIG is not the sasl.jaas.config of a KafkaUser of "
                        + kl.clusterName());
            }
        }
        if (kl.listener().isTls()) {
            String caSecret = kl.clusterName() + "-cluster-ca-cert";
            ContainerEnv.Source password = env.vars().get("DM_KAFKA_SSL_TRUSTSTORE_PASSWORD");
            if (password == null || password.kind() != ContainerEnv.Kind.SECRET || !caSecret.equals(password.ref())
                    || !"ca.password".equals(password.key())) {
                violations.add(where + ": DM_KAFKA_SSL_TRUSTSTORE_PASSWORD is not " + caSecret + "/ca.password");
            }
            String type = env.value("DM_KAFKA_SSL_TRUSTSTORE_TYPE").orElse("");
            String location = env.value("DM_KAFKA_SSL_TRUSTSTORE_LOCATION").orElse("");
            String key = type.equals("PKCS12") ? "ca.p12" : "";
            if (!mountsSecretKey(w, c, caSecret, key, location)) {
                violations.add(where + ": " + location + " is not the " + key + " of Secret " + caSecret
                        + " mounted in the container (truststore type " + type + ")");
            }
        }
    }

    private static void expect(String where, ContainerEnv env, String var, String expected, List<String> violations) {
        String actual = env.value(var).orElse(null);
        if (!Objects.equals(expected, actual)) {
            violations.add(where + ": " + var + " is " + actual + ", the listener needs " + expected);
        }
    }

    private static String cluster(KafkaUser user) {
        var labels = user.getMetadata().getLabels();
        return labels == null ? "" : labels.getOrDefault("strimzi.io/cluster", "");
    }

    private static boolean mountsSecretKey(Workload w, Container c, String secret, String key, String location) {
        for (VolumeMount mount : c.getVolumeMounts()) {
            Volume volume = w.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                    .findFirst().orElse(null);
            if (volume == null || volume.getSecret() == null || !secret.equals(volume.getSecret().getSecretName())) {
                continue;
            }
            String path = mount.getMountPath().endsWith("/") ? mount.getMountPath() : mount.getMountPath() + "/";
            if (!location.startsWith(path)) {
                continue;
            }
            String file = location.substring(path.length());
            var items = volume.getSecret().getItems();
            if (items == null || items.isEmpty()) {
                return file.equals(key);
            }
            return items.stream().anyMatch(i -> i.getKey().equals(key) && i.getPath().equals(file));
        }
        return false;
    }
}
