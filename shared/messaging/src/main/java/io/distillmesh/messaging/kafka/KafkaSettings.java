package io.distillmesh.messaging.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Kafka client settings of the mesh. {@code extra} carries whatever the deployment adds
 * (security.protocol, sasl.*, ssl.* for a TLS/SASL listener) and wins over the defaults.
 */
public final class KafkaSettings {
    /** Config keys (and so DM_ variables) a service declares for its Kafka clients; blank means unset. */
    public static final io.vertx.core.json.JsonObject CONFIG_DEFAULTS = new io.vertx.core.json.JsonObject()
            .put("kafka.bootstrap.servers", "localhost:9092")
            .put("kafka.security.protocol", "")
            .put("kafka.sasl.mechanism", "")
            .put("kafka.sasl.jaas.config", "")
            .put("kafka.ssl.truststore.location", "")
            .put("kafka.ssl.truststore.password", "")
            .put("kafka.ssl.truststore.type", "");
    private final String bootstrapServers;
    private final Map<String, String> extra;

    /** Settings from a service config: bootstrap servers plus the non-blank TLS/SASL client settings. */
    public static KafkaSettings fromConfig(io.vertx.core.json.JsonObject config) {
        Map<String, String> extra = new HashMap<>();
        for (String key : CONFIG_DEFAULTS.fieldNames()) {
            String value = config.getString(key, "");
            if (!key.equals("kafka.bootstrap.servers") && !value.isBlank()) {
                extra.put(key.substring("kafka.".length()), value);
            }
        }
        return new KafkaSettings(config.getString("kafka.bootstrap.servers"), extra);
    }

    public KafkaSettings(String bootstrapServers, Map<String, String> extra) {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("kafka bootstrap servers are not configured");
        }
        this.bootstrapServers = bootstrapServers;
        this.extra = Map.copyOf(extra);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Idempotent producer, acks=all, batched: for soft-target streams. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        p.putAll(extra);
        return p;
    }

    /**
     * An idempotent producer whose sends go in transactions under {@code transactionalId}: what it sends between
     * begin and commit is seen by consumers all together or not at all. A process started again under the same id
     * aborts what its predecessor left open; one that does not come back holds read-committed consumers at most
     * {@code transactionTimeoutMs}.
     */
    public Map<String, Object> transactionalProducer(String clientId, String transactionalId, int transactionTimeoutMs) {
        Map<String, Object> p = producer(clientId);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, transactionTimeoutMs);
        return p;
    }

    /**
     * A consumer that never commits on its own (positions come from checkpoints) and reads committed records only,
     * so a teacher's batch that was cut off by a crash is never seen.
     */
    public Map<String, Object> consumer(String groupId, String clientId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        c.putAll(extra);
        return c;
    }

    public Map<String, Object> admin() {
        Map<String, Object> a = new HashMap<>();
        a.put("bootstrap.servers", bootstrapServers);
        a.putAll(extra);
        return a;
    }
}
