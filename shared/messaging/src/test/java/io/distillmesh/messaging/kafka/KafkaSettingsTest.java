package io.distillmesh.messaging.kafka;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KafkaSettingsTest {

    @Test
    void tlsAndSaslSettingsFromConfigReachEveryClientAndBlankOnesStayUnset() {
        JsonObject config = KafkaSettings.CONFIG_DEFAULTS.copy().put("kafka.bootstrap.servers", "kafka:9093")
                .put("kafka.security.protocol", "SASL_SSL").put("kafka.sasl.mechanism", "SCRAM-SHA-512")
                .put("kafka.ssl.truststore.location", "/etc/kafka/ca.p12");
        KafkaSettings settings = KafkaSettings.fromConfig(config);
        for (Map<String, Object> client : new Map[]{settings.producer("p"), settings.consumer("g", "c"), settings.admin()}) {
            assertEquals("kafka:9093", client.get("bootstrap.servers"));
            assertEquals("SASL_SSL", client.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
            assertEquals("/etc/kafka/ca.p12", client.get("ssl.truststore.location"));
            assertFalse(client.containsKey("sasl.jaas.config"));
        }
        assertEquals("all", settings.producer("p").get("acks"));
        assertEquals(true, settings.producer("p").get("enable.idempotence"));
    }

    @Test
    void missingBootstrapServersIsAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KafkaSettings.fromConfig(new JsonObject().put("kafka.bootstrap.servers", " ")));
        assertEquals("kafka bootstrap servers are not configured", e.getMessage());
    }
}
