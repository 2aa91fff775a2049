package io.distillmesh.messaging.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A single-node plaintext KRaft broker as a process of its own: the local cluster's broker pod
 * (k8s/overlays/local). Settings from the environment: DM_BROKER_DATA_DIR (default /var/lib/kafka),
 * DM_BROKER_ADVERTISED_HOST (default: this host's name), DM_BROKER_PORT (9092), DM_BROKER_CONTROLLER_PORT (9093).
 * Runs until SIGTERM, then shuts down cleanly; a restart on the same data directory keeps every topic.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(env.getOrDefault("DM_BROKER_DATA_DIR", "/var/lib/kafka"));
        BrokerListeners listeners = new BrokerListeners("0.0.0.0",
                port(env, "DM_BROKER_PORT", 9092), port(env, "DM_BROKER_CONTROLLER_PORT", 9093),
                env.getOrDefault("DM_BROKER_ADVERTISED_HOST", hostName(env)));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.serve(dataDir, listeners);
        System.out.println("Kafka broker (KRaft, plaintext) at " + broker.bootstrapServers() + ", data in " + dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        stopped.await();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a port number: " + value);
        }
    }

    private static String hostName(Map<String, String> env) {
        String host = env.get("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("set DM_BROKER_ADVERTISED_HOST: this host has no resolvable name", e);
        }
    }
}
