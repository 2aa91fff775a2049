package io.distillmesh.messaging.broker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.properties.MetaProperties;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.properties.MetaPropertiesVersion;
import org.apache.kafka.server.common.MetadataVersion;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A real single-node Kafka broker (KRaft, combined broker+controller) running inside this JVM,
 * listening on free loopback ports.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    private static final int BIND_ATTEMPTS = 3;

    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path logDir;
    private final boolean deleteLogDirOnClose;
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path logDir, boolean deleteLogDirOnClose) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.logDir = logDir;
        this.deleteLogDirOnClose = deleteLogDirOnClose;
    }

    /** Starts a broker on a fresh temporary directory that is deleted again by {@link #close()}. */
    public static EmbeddedKafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("embedded-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return start(dir, true);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** Starts a broker storing its data in {@code logDir} (created and formatted if needed, kept on close). */
    public static EmbeddedKafkaBroker start(Path logDir) {
        return start(logDir, false);
    }

    private static EmbeddedKafkaBroker start(Path logDir, boolean deleteLogDirOnClose) {
        quietKafkaLogging();
        Path dir = logDir.toAbsolutePath();
        String clusterId = format(dir, 1, Uuid.randomUuid().toString());
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(2);
            BrokerListeners listeners = BrokerListeners.loopback(ports[0], ports[1]);
            KraftNode node = new KraftNode(1, clusterId, listeners, "1@127.0.0.1:" + ports[1], 1);
            try {
                return startServer(dir, node, deleteLogDirOnClose);
            } catch (IllegalStateException e) {
                // another process may have grabbed one of the ports between probing and binding
                if (!hasCause(e, BindException.class) || attempt >= BIND_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Starts a node on fixed ports, for one that serves other hosts or forms a cluster with other processes (the
     * local cluster's broker pod, the multi-broker tests): data in {@code logDir} (formatted if new, kept on close),
     * clients told to connect to the listeners' advertised host.
     */
    public static EmbeddedKafkaBroker serve(Path logDir, KraftNode node) {
        quietKafkaLogging();
        Path dir = logDir.toAbsolutePath();
        format(dir, node.nodeId(), node.clusterId());
        return startServer(dir, node, false);
    }

    private static EmbeddedKafkaBroker startServer(Path dir, KraftNode node, boolean deleteLogDirOnClose) {
        BrokerListeners listeners = node.listeners();
        KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(brokerProperties(dir, node), false), Time.SYSTEM);
        String bootstrap = listeners.advertisedBootstrap();
        long startNanos = System.nanoTime();
        try {
            server.startup();
            awaitClusterReady(listeners.localBootstrap(), STARTUP_TIMEOUT.minusNanos(System.nanoTime() - startNanos));
            return new EmbeddedKafkaBroker(server, bootstrap, dir, deleteLogDirOnClose);
        } catch (Throwable t) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            try {
                stop(server);
            } catch (Throwable suppressed) {
                t.addSuppressed(suppressed);
            }
            throw new IllegalStateException("Embedded Kafka broker failed to start (timeout "
                    + STARTUP_TIMEOUT.toSeconds() + " s, log dir " + dir + "): " + t, t);
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path logDir() {
        return logDir;
    }

    /** Creates a topic with replication factor 1; an already existing topic is left as it is. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs == null ? Map.of() : configs);
        try (Admin admin = admin(bootstrapServers)) {
            admin.createTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topic " + name, e);
        }
    }

    /** Shuts the broker down and waits for it; deletes the log dir if {@link #start()} created it. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop(server);
        if (deleteLogDirOnClose) {
            deleteQuietly(logDir);
        }
    }

    /**
     * Does what {@code kafka-storage.sh format} does (meta.properties + bootstrap.checkpoint), calling the tool's
     * format method directly so that its System.exit is never reached. An already formatted directory is kept.
     * Returns the cluster id the directory belongs to.
     */
    private static String format(Path dir, int nodeId, String clusterId) {
        Path metaFile = dir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME);
        if (Files.exists(metaFile)) {
            try {
                return new MetaProperties.Builder(Utils.loadProps(metaFile.toString())).build().clusterId()
                        .orElseThrow(() -> new IllegalStateException(metaFile + " names no cluster id"));
            } catch (IOException e) {
                throw new UncheckedIOException("Reading " + metaFile, e);
            }
        }
        MetaProperties meta = new MetaProperties.Builder()
                .setVersion(MetaPropertiesVersion.V1)
                .setClusterId(clusterId)
                .setNodeId(nodeId)
                .build();
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        int rc;
        try {
            rc = StorageTool.formatCommand(discard,
                    CollectionConverters.asScala(List.of(dir.toString())).toList(),
                    meta, MetadataVersion.LATEST_PRODUCTION, false);
        } catch (Exception e) {
            throw new IllegalStateException("Formatting Kafka log dir " + dir + " failed: " + e.getMessage(), e);
        }
        if (rc != 0) {
            throw new IllegalStateException("Formatting Kafka log dir " + dir + " failed with code " + rc);
        }
        return clusterId;
    }

    private static Properties brokerProperties(Path dir, KraftNode node) {
        BrokerListeners listeners = node.listeners();
        String replicas = String.valueOf(node.replicationFactor());
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node.nodeId()));
        p.put("controller.quorum.voters", node.quorumVoters());
        p.put("listeners", "PLAINTEXT://" + listeners.bindHost() + ":" + listeners.brokerPort()
                + ",CONTROLLER://" + listeners.bindHost() + ":" + listeners.controllerPort());
        p.put("advertised.listeners", "PLAINTEXT://" + listeners.advertisedBootstrap());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "1");
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", String.valueOf(node.minInsyncReplicas()));
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", String.valueOf(node.minInsyncReplicas()));
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("server.max.startup.time.ms", String.valueOf(STARTUP_TIMEOUT.toMillis()));
        return p;
    }

    private static void awaitClusterReady(String bootstrap, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        try (Admin admin = admin(bootstrap)) {
            while (System.nanoTime() < deadline) {
                try {
                    long remainingMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                    if (!admin.describeCluster().nodes().get(remainingMs, TimeUnit.MILLISECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = e;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("AdminClient could not describe the cluster at " + bootstrap, last);
    }

    private static Admin admin(String bootstrap) {
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
        return Admin.create(conf);
    }

    private static int[] freePorts(int count) {
        ServerSocket[] sockets = new ServerSocket[count];
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                sockets[i] = new ServerSocket(0, 50, loopback);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("No free loopback port", e);
        } finally {
            for (ServerSocket s : sockets) {
                Utils.closeQuietly(s, "port probe");
            }
        }
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
        } finally {
            server.awaitShutdown();
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException ignored) {
            // best effort: a leftover temp dir is harmless
        }
    }

    /** Kafka logs a lot at INFO; default its loggers to WARN unless the user configured slf4j-simple for them. */
    private static void quietKafkaLogging() {
        for (String logger : List.of("kafka", "org.apache.kafka", "org.apache.zookeeper", "state.change.logger")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }
}
