package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.model.StrictMapper;
import io.distillmesh.k8s.model.keda.KafkaTriggerMetadata;
import io.distillmesh.k8s.model.keda.ScaledObject;
import io.distillmesh.k8s.model.keda.TriggerAuthentication;
import io.distillmesh.k8s.model.keda.TriggerSchemas;
import io.distillmesh.messaging.Topics;
import io.distillmesh.student.StudentSpec;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.student.StudentSettings;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.strimzi.api.kafka.model.user.KafkaUser;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Students scale on their consumer lag. Each student Deployment is one student identity, the target of one
 * ScaledObject whose kafka trigger watches that student's own group (as StudentTrainingLoop names it) on
 * its run's topic (Topics.softTargets), through the same bootstrap and security as the student; at most
 * one replica (a second would train the same model again over the same checkpoints), Recreate, and no
 * spec.replicas (KEDA owns it). The trigger's TriggerAuthentication supplies a KafkaUser's credentials.
 */
public final class StudentScalingRule implements InvariantRule {
    @Override
    public String name() {
        return "students scale on lag";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        List<ScaledObject> scaledObjects = overlay.all(ScaledObject.class);
        for (ScaledObject so : scaledObjects) {
            if (overlay.named(Deployment.class, so.spec().scaleTargetRef().name()).isEmpty()
                    || !"Deployment".equals(so.spec().scaleTargetRef().kindOrDefault())) {
                violations.add("ScaledObject/" + so.metadata().getName() + ": its target is no Deployment of the overlay");
            }
        }
        for (Workload w : overlay.workloads()) {
            for (Container c : w.serviceContainers()) {
                if (Workload.serviceName(c).orElse("").equals("student")) {
                    checkStudent(w, c, scaledObjects, overlay, violations);
                }
            }
        }
        return violations;
    }

    private static void checkStudent(Workload w, Container c, List<ScaledObject> all, RenderedOverlay overlay,
                                     List<String> violations) {
        String where = w.kind() + "/" + w.name();
        List<ScaledObject> mine = all.stream().filter(so -> so.spec().scaleTargetRef().name().equals(w.name())).toList();
        if (mine.size() != 1) {
            violations.add(where + ": a student needs exactly one ScaledObject, has " + mine.size());
            return;
        }
        ScaledObject so = mine.get(0);
        Deployment d = overlay.named(Deployment.class, w.name()).orElseThrow();
        if (d.getSpec().getReplicas() != null) {
            violations.add(where + ": spec.replicas is set, but KEDA owns it (every apply would reset it)");
        }
        if (d.getSpec().getStrategy() == null || !"Recreate".equals(d.getSpec().getStrategy().getType())) {
            violations.add(where + ": strategy must be Recreate (never two pods of one student)");
        }
        if (so.spec().maxReplicaCount() == null || so.spec().maxReplicaCount() != 1) {
            violations.add("ScaledObject/" + so.metadata().getName() + ": maxReplicaCount must be 1 for one student");
        }
        JsonObject conf;
        StudentSpec spec;
        try {
            conf = ContainerConfig.of(w, c, overlay).load();
            spec = StudentSettings.specFrom(conf);
        } catch (RuntimeException e) {
            return; // ServiceConfigRule reports it
        }
        String group = new StudentTrainingLoop(spec, null, null, null, new SimpleMeterRegistry(),
                StudentTrainingLoop.TrainedBatchListener.NONE).groupId();
        List<ScaledObject.Trigger> kafkaTriggers = so.spec().triggers().stream().filter(t -> t.type().equals("kafka")).toList();
        if (kafkaTriggers.isEmpty()) {
            violations.add("ScaledObject/" + so.metadata().getName() + ": no kafka trigger");
        }
        for (ScaledObject.Trigger t : kafkaTriggers) {
            String at = "ScaledObject/" + so.metadata().getName() + " kafka trigger";
            KafkaTriggerMetadata m = TriggerSchemas.kafka(t, StrictMapper.get());
            same(at + " consumerGroup", m.consumerGroup(), group, violations);
            same(at + " topic", m.topic(), Topics.softTargets(spec.runId()), violations);
            same(at + " bootstrapServers", m.bootstrapServers(), conf.getString("kafka.bootstrap.servers"), violations);
            same(at + " offsetResetPolicy", m.offsetResetPolicy(), "earliest", violations);
            String protocol = conf.getString("kafka.security.protocol", "PLAINTEXT");
            same(at + " tls", Objects.requireNonNullElse(m.tls(), "disable"), protocol.endsWith("SSL") ? "enable" : "disable", violations);
            same(at + " sasl", Objects.requireNonNullElse(m.sasl(), "none"), protocol.startsWith("SASL")
                    ? kedaSasl(conf.getString("kafka.sasl.mechanism", "")) : "none", violations);
            checkAuthentication(at, t, m, overlay, violations);
        }
    }

    private static void checkAuthentication(String at, ScaledObject.Trigger t, KafkaTriggerMetadata m, RenderedOverlay overlay,
                                            List<String> violations) {
        boolean sasl = m.sasl() != null && !m.sasl().equals("none");
        boolean tls = "enable".equals(m.tls());
        if (t.authenticationRef() == null) {
            if (sasl || tls) {
                violations.add(at + ": sasl/tls without an authenticationRef");
            }
            return;
        }
        TriggerAuthentication auth = overlay.all(TriggerAuthentication.class).stream()
                .filter(a -> a.metadata().getName().equals(t.authenticationRef().name())).findFirst().orElse(null);
        if (auth == null) {
            violations.add(at + ": TriggerAuthentication " + t.authenticationRef().name() + " is not in the overlay");
            return;
        }
        List<String> parameters = auth.spec().parameters();
        parameters.stream().filter(p -> !KafkaTriggerMetadata.AUTH_PARAMETERS.contains(p))
                .forEach(p -> violations.add(at + ": the kafka scaler takes no parameter " + p));
        List<String> needed = new ArrayList<>();
        if (sasl) {
            needed.addAll(List.of("username", "password"));
        }
        if (tls) {
            needed.add("ca");
        }
        needed.stream().filter(p -> !parameters.contains(p))
                .forEach(p -> violations.add(at + ": TriggerAuthentication " + auth.metadata().getName() + " gives no " + p));
        String user = null;
        for (TriggerAuthentication.TargetRef ref : auth.spec().configMapTargetRef() == null
                ? List.<TriggerAuthentication.TargetRef>of() : auth.spec().configMapTargetRef()) {
            String value = overlay.configMap(ref.name()).map(cm -> cm.getData() == null ? null : cm.getData().get(ref.key())).orElse(null);
            if (value == null) {
                violations.add(at + ": ConfigMap " + ref.name() + " key " + ref.key() + " is not in the overlay");
            } else if (ref.parameter().equals("username")) {
                user = value;
            }
        }
        for (TriggerAuthentication.TargetRef ref : auth.spec().secretTargetRef() == null
                ? List.<TriggerAuthentication.TargetRef>of() : auth.spec().secretTargetRef()) {
            if (ref.parameter().equals("password") && (user == null || !ref.name().equals(user)
                    || overlay.named(KafkaUser.class, user).isEmpty())) {
                violations.add(at + ": the password is not the Secret of the KafkaUser named by username (" + user + ")");
            }
        }
    }

    /** KEDA's name for a Kafka SASL mechanism. */
    static String kedaSasl(String mechanism) {
        return switch (mechanism) {
            case "SCRAM-SHA-512" -> "scram_sha512";
            case "SCRAM-SHA-256" -> "scram_sha256";
            case "PLAIN" -> "plaintext";
            default -> "unknown mechanism " + mechanism;
        };
    }

    private static void same(String what, String actual, String expected, List<String> violations) {
        if (!Objects.equals(actual, expected)) {
            violations.add(what + " is " + actual + ", expected " + expected);
        }
    }
}
