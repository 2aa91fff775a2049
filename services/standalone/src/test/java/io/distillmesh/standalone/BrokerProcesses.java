package io.distillmesh.standalone;

import io.distillmesh.messaging.broker.KafkaBrokerMain;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A KRaft cluster of several nodes, each {@link KafkaBrokerMain} in a JVM process of its own on loopback ports,
 * with the data directories kept across restarts: a node can be killed with SIGKILL, stopped with SIGTERM and
 * started again, as an orchestrator would.
 */
final class BrokerProcesses implements AutoCloseable {
    private final Path dir;
    private final String clusterId = Uuid.randomUuid().toString();
    private final int[] brokerPorts;
    private final int[] controllerPorts;
    private final Process[] processes;
    private final int replicationFactor;

    BrokerProcesses(Path dir, int nodes) {
        this.dir = dir;
        dir.toFile().mkdirs();
        this.brokerPorts = freePorts(nodes);
        this.controllerPorts = freePorts(nodes);
        this.processes = new Process[nodes];
        this.replicationFactor = nodes;
    }

    void startAll() {
        for (int i = 0; i < processes.length; i++) {
            start(i);
        }
        awaitBrokers(processes.length, 90);
    }

    String bootstrapServers() {
        return IntStream.of(brokerPorts).mapToObj(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    int nodeIdOf(int index) {
        return index + 1;
    }

    void start(int index) {
        String voters = IntStream.range(0, processes.length)
                .mapToObj(i -> nodeIdOf(i) + "@127.0.0.1:" + controllerPorts[i]).collect(Collectors.joining(","));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), KafkaBrokerMain.class.getName());
        builder.environment().putAll(Map.of(
                "DM_BROKER_DATA_DIR", dir.resolve("node-" + nodeIdOf(index)).toString(),
                "DM_BROKER_BIND_HOST", "127.0.0.1", "DM_BROKER_ADVERTISED_HOST", "127.0.0.1",
                "DM_BROKER_PORT", String.valueOf(brokerPorts[index]),
                "DM_BROKER_CONTROLLER_PORT", String.valueOf(controllerPorts[index]),
                "DM_BROKER_NODE_ID", String.valueOf(nodeIdOf(index)), "DM_BROKER_CLUSTER_ID", clusterId,
                "DM_BROKER_QUORUM_VOTERS", voters, "DM_BROKER_REPLICATION_FACTOR", String.valueOf(replicationFactor)));
        // one log per node, kept across its restarts
        builder.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node-" + nodeIdOf(index) + ".log").toFile()));
        try {
            processes[index] = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("starting Kafka node " + nodeIdOf(index), e);
        }
    }

    /** SIGKILL, as a crash would end it; its data stays. */
    void kill(int index) throws InterruptedException {
        processes[index].destroyForcibly();
        processes[index].waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM: a controlled shutdown, as a rolling restart does it. */
    void stop(int index) throws InterruptedException {
        processes[index].destroy();
        if (!processes[index].waitFor(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Kafka node " + nodeIdOf(index) + " did not stop in 60 s");
        }
    }

    /** The index of the node leading the topic's partition 0. */
    int leaderOf(String topic) throws Exception {
        try (Admin admin = admin()) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
            return d.partitions().get(0).leader().id() - 1;
        }
    }

    /**
     * Waits, as an orchestrator does before it rolls the next node, until every partition of every topic (the
     * internal ones too) has all of the cluster's nodes in sync. Fails at once, with its log, when a node's process
     * has died; on a timeout the message names the partitions still short and ends with the lagging nodes' logs.
     */
    void awaitAllInSync(int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String shortOf = "no answer from the cluster";
        Set<Integer> lagging = new TreeSet<>();
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                requireAlive();
                try {
                    Collection<TopicDescription> topics = admin.describeTopics(admin.listTopics(
                                    new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS))
                            .allTopicNames().get(10, TimeUnit.SECONDS).values();
                    List<String> behind = new ArrayList<>();
                    lagging.clear();
                    for (TopicDescription topic : topics) {
                        for (TopicPartitionInfo p : topic.partitions()) {
                            if (p.isr().size() < processes.length) {
                                behind.add(topic.name() + "-" + p.partition() + " leader " + p.leader() + " isr "
                                        + p.isr().stream().map(Node::id).toList());
                                p.replicas().stream().filter(r -> !p.isr().contains(r)).forEach(r -> lagging.add(r.id()));
                            }
                        }
                    }
                    if (behind.isEmpty()) {
                        return;
                    }
                    shortOf = behind.size() + " partition(s) short, e.g. " + behind.subList(0, Math.min(5, behind.size()));
                } catch (ExecutionException | TimeoutException retry) {
                    shortOf = "no answer from the cluster: " + retry;
                }
                Thread.sleep(250);
            }
        }
        StringBuilder message = new StringBuilder("the cluster was not fully in sync in " + timeoutSeconds + " s: "
                + shortOf + "; logs in " + dir);
        for (int id : lagging) {
            message.append("\n--- last lines of node ").append(id).append("'s log ---\n").append(logTail(id - 1, 40));
        }
        throw new IllegalStateException(message.toString());
    }

    private void requireAlive() {
        for (int i = 0; i < processes.length; i++) {
            if (processes[i] != null && !processes[i].isAlive()) {
                throw new IllegalStateException("Kafka node " + nodeIdOf(i) + " exited with code "
                        + processes[i].exitValue() + "; last lines of its log:\n" + logTail(i, 60));
            }
        }
    }

    private String logTail(int index, int lines) {
        Path log = dir.resolve("node-" + nodeIdOf(index) + ".log");
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(" + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** Waits until the cluster no longer lists node {@code index} among its live brokers (after a stop). */
    void awaitGone(int index, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).stream()
                            .noneMatch(n -> n.id() == nodeIdOf(index))) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException retry) {
                    // the cluster may be electing; ask again
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the cluster still lists Kafka node " + nodeIdOf(index) + " " + timeoutSeconds
                + " s after it stopped; logs in " + dir);
    }

    void awaitBrokers(int count, int timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (Admin admin = admin()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size() >= count) {
                        return;
                    }
                } catch (Exception retry) {
                    // nodes still starting
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(count + " Kafka nodes did not come up in " + timeoutSeconds + " s; logs in " + dir);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000));
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private static int[] freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                sockets.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a probe socket
                }
            }
        }
    }
}
