package io.distillmesh.k8s.invariants;

import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;

import java.util.Optional;

/** The Strimzi listener a bootstrap address ("CLUSTER-kafka-bootstrap:PORT") names in an overlay. */
record KafkaListeners(Kafka kafka, GenericKafkaListener listener) {
    static Optional<KafkaListeners> forBootstrap(String bootstrap, RenderedOverlay overlay) {
        if (bootstrap == null) {
            return Optional.empty();
        }
        for (Kafka kafka : overlay.all(Kafka.class)) {
            for (GenericKafkaListener l : kafka.getSpec().getKafka().getListeners()) {
                if (bootstrap.equals(address(kafka, l))) {
                    return Optional.of(new KafkaListeners(kafka, l));
                }
            }
        }
        return Optional.empty();
    }

    /** The in-cluster bootstrap address Strimzi gives an internal listener. */
    static String address(Kafka kafka, GenericKafkaListener listener) {
        return kafka.getMetadata().getName() + "-kafka-bootstrap:" + listener.getPort();
    }

    String clusterName() {
        return kafka.getMetadata().getName();
    }

    boolean scram() {
        return listener.getAuth() != null && "scram-sha-512".equals(listener.getAuth().getType());
    }

    /** The Kafka client security.protocol this listener needs. */
    String securityProtocol() {
        if (listener.getAuth() == null) {
            return listener.isTls() ? "SSL" : "PLAINTEXT";
        }
        return listener.isTls() ? "SASL_SSL" : "SASL_PLAINTEXT";
    }
}
