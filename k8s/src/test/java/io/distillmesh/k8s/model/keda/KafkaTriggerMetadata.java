package io.distillmesh.k8s.model.keda;

import java.util.Objects;
import java.util.Set;

/**
 * The metadata of KEDA's "kafka" trigger (https://keda.sh/docs/latest/scalers/apache-kafka/): the keys
 * this project uses and the few it may want, with their allowed values. All values are strings in KEDA.
 */
public record KafkaTriggerMetadata(String bootstrapServers, String consumerGroup, String topic, String lagThreshold,
                                   String activationLagThreshold, String offsetResetPolicy, String allowIdleConsumers,
                                   String scaleToZeroOnInvalidOffset, String excludePersistentLag,
                                   String limitToPartitionsWithLag, String sasl, String tls, String unsafeSsl) {
    /** Parameters a TriggerAuthentication may supply to this scaler. */
    public static final Set<String> AUTH_PARAMETERS = Set.of("sasl", "username", "password", "tls", "ca", "cert",
            "key", "keyPassword", "unsafeSsl");

    public KafkaTriggerMetadata {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers is required");
        Objects.requireNonNull(consumerGroup, "consumerGroup is required");
        requireOneOf("offsetResetPolicy", offsetResetPolicy, Set.of("earliest", "latest"));
        requireOneOf("sasl", sasl, Set.of("none", "plaintext", "scram_sha256", "scram_sha512", "oauthbearer", "gssapi"));
        requireOneOf("tls", tls, Set.of("enable", "disable"));
        for (String flag : new String[]{allowIdleConsumers, scaleToZeroOnInvalidOffset, excludePersistentLag,
                limitToPartitionsWithLag, unsafeSsl}) {
            requireOneOf("a boolean setting", flag, Set.of("true", "false"));
        }
        requireCount("lagThreshold", lagThreshold, 1);
        requireCount("activationLagThreshold", activationLagThreshold, 0);
    }

    private static void requireOneOf(String key, String value, Set<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw new IllegalArgumentException(key + " must be one of " + allowed + ", got '" + value + "'");
        }
    }

    private static void requireCount(String key, String value, long min) {
        if (value == null) {
            return;
        }
        try {
            if (Long.parseLong(value) < min) {
                throw new IllegalArgumentException(key + " must be >= " + min + ", got " + value);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, got '" + value + "'", e);
        }
    }
}
