package io.distillmesh.messaging.broker;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.Uuid;

/**
 * A plaintext KRaft node (broker + controller) as a process of its own: the local cluster's broker pod
 * (k8s/overlays/local), or one node of a cluster of several (the multi-broker fault tests). Settings from the
 * environment: DM_BROKER_DATA_DIR (default /var/lib/kafka), DM_BROKER_BIND_HOST (0.0.0.0),
 * DM_BROKER_ADVERTISED_HOST (default: this host's name), DM_BROKER_PORT (9092), DM_BROKER_CONTROLLER_PORT (9093);
 * for a cluster also DM_BROKER_NODE_ID (1), DM_BROKER_CLUSTER_ID (the same for every node), DM_BROKER_QUORUM_VOTERS
 * (id@host:port,...; default: this node alone) and DM_BROKER_REPLICATION_FACTOR (1).
 * Runs until SIGTERM, then shuts down cleanly; a restart on the same data directory keeps every topic.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> env = System.getenv();
        Path dataDir = Path.of(env.getOrDefault("DM_BROKER_DATA_DIR", "/var/lib/kafka"));
        BrokerListeners listeners = new BrokerListeners(env.getOrDefault("DM_BROKER_BIND_HOST", "0.0.0.0"),
                number(env, "DM_BROKER_PORT", 9092), number(env, "DM_BROKER_CONTROLLER_PORT", 9093),
                env.getOrDefault("DM_BROKER_ADVERTISED_HOST", hostName(env)));
        int nodeId = number(env, "DM_BROKER_NODE_ID", 1);
        KraftNode node = new KraftNode(nodeId,
                env.getOrDefault("DM_BROKER_CLUSTER_ID", Uuid.randomUuid().toString()), listeners,
                env.getOrDefault("DM_BROKER_QUORUM_VOTERS", nodeId + "@127.0.0.1:" + listeners.controllerPort()),
                number(env, "DM_BROKER_REPLICATION_FACTOR", 1));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.serve(dataDir, node);
        System.out.println("Kafka node " + nodeId + " (KRaft, plaintext) at " + broker.bootstrapServers()
                + ", data in " + dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "broker-shutdown"));
        stopped.await();
    }

    private static int number(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a whole number: " + value);
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
