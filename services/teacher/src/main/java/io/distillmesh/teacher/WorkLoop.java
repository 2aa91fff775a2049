package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One teacher work loop: a member of the teachers' group over every run's work topic. For each piece Kafka hands
 * it, it streams the piece's records and commits the piece's offset in the same transaction, so a piece is in the
 * students' stream once or not at all, whichever teacher or restart did it. A run's end waits (its partition
 * paused) until every other piece of the run is committed. Runs on its own thread; {@link #stop()} ends it after
 * the piece in hand.
 */
final class WorkLoop implements Runnable {
    /** The teachers' consumer group over the work topics; its committed offsets are how far each run got. */
    static final String GROUP = "dm-teacher-work";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long END_RECHECK_MS = 300;
    private static final long RETRY_MS = 2_000;
    private final KafkaSettings kafka;
    private final String instance;
    private final PreparedRuns runs;
    private final RunCommits commits;
    private final MeterRegistry registry;
    private final int transactionTimeoutMs;
    private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile boolean stopped;
    private volatile KafkaConsumer<String, byte[]> consumer;

    /** {@code instance} must be unique among live teacher loops and the same after a restart (transactional id). */
    WorkLoop(KafkaSettings kafka, String instance, PreparedRuns runs, RunCommits commits, MeterRegistry registry,
             int transactionTimeoutMs) {
        this.kafka = kafka;
        this.instance = instance;
        this.runs = runs;
        this.commits = commits;
        this.registry = registry;
        this.transactionTimeoutMs = transactionTimeoutMs;
    }

    @Override
    public void run() {
        Map<String, Object> config = kafka.consumer(WorkLoop.GROUP, "teacher-" + instance);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        // a few pieces per partition and fetch (each its own batch, see WorkPlanPublisher), so that runs interleave
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024);
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2_000);
        config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
        config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(config)) {
            consumer = c;
            KafkaProducer<String, byte[]> producer = newProducer();
            try {
                c.subscribe(Topics.WORK_TOPICS, new ForgetRevoked());
                while (!stopped) {
                    resumeDue(c);
                    for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                        producer = handle(c, producer, record);
                    }
                }
            } catch (WakeupException e) {
                if (!stopped) {
                    throw e;
                }
            } finally {
                producer.close();
            }
        } catch (RuntimeException e) {
            System.err.println("teacher: work loop " + instance + " stopped: " + e);
            throw e;
        }
    }

    void stop() {
        stopped = true;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    private KafkaProducer<String, byte[]> newProducer() {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.transactionalProducer("teacher-" + instance,
                "dm-teacher-" + instance, transactionTimeoutMs));
        producer.initTransactions();
        return producer;
    }

    /** Does one piece; answers the producer to go on with (a new one when the old one can no longer be used). */
    private KafkaProducer<String, byte[]> handle(KafkaConsumer<String, byte[]> c, KafkaProducer<String, byte[]> producer,
                                                ConsumerRecord<String, byte[]> record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        String runId = Topics.runOfWork(record.topic());
        String problem;
        Optional<WorkItem> item;
        try {
            item = Optional.of(WorkItem.decode(record.value()));
            problem = null;
        } catch (IllegalArgumentException e) {
            item = Optional.empty();
            problem = "not a work item: " + e.getMessage();
        }
        PreparedRun run = null;
        if (item.isPresent()) {
            try {
                run = runs.forWork(runId);
            } catch (RuntimeException e) {
                System.err.println("teacher: cannot stream run " + runId + " here yet: " + e.getMessage());
                retryLater(c, partition, record.offset(), RETRY_MS);
                return producer;
            }
            problem = run.problemWith(item.get()).orElse(null);
            if (problem == null && item.get().isEnd() && !commits.samplesComplete(runId)) {
                retryLater(c, partition, record.offset(), END_RECHECK_MS);
                return producer;
            }
        }
        long cpuStart = threads.getCurrentThreadCpuTime();
        try {
            producer.beginTransaction();
            int sent = 0;
            if (problem != null) {
                deadLetters(producer).publish(record, problem);
            } else {
                sent = run.send(item.get(), producer, null);
            }
            producer.sendOffsetsToTransaction(Map.of(partition, new OffsetAndMetadata(record.offset() + 1)),
                    c.groupMetadata());
            producer.commitTransaction();
            if (run != null) {
                run.countStreamed(sent);
                run.status().addCpu(threads.getCurrentThreadCpuTime() - cpuStart);
            }
            return producer;
        } catch (KafkaException | IllegalStateException | IllegalArgumentException e) {
            System.err.println("teacher: piece " + record.topic() + "/" + record.partition() + "@" + record.offset()
                    + " not streamed, it will be done again: " + e);
            retryLater(c, partition, record.offset(), e instanceof CommitFailedException ? 0 : RETRY_MS);
            try {
                producer.abortTransaction();
                return producer;
            } catch (KafkaException | IllegalStateException fatal) {
                producer.close(Duration.ZERO);
                return newProducer();
            }
        }
    }

    private DeadLetterPublisher deadLetters(KafkaProducer<String, byte[]> producer) {
        return new DeadLetterPublisher(producer, registry, "teacher");
    }

    private void retryLater(KafkaConsumer<String, byte[]> c, TopicPartition partition, long offset, long delayMs) {
        if (!c.assignment().contains(partition)) {
            return;
        }
        c.seek(partition, offset);
        c.pause(List.of(partition));
        pausedUntil.put(partition, System.currentTimeMillis() + delayMs);
    }

    private void resumeDue(KafkaConsumer<String, byte[]> c) {
        long now = System.currentTimeMillis();
        var due = pausedUntil.entrySet().stream().filter(e -> e.getValue() <= now).map(Map.Entry::getKey).toList();
        for (TopicPartition partition : due) {
            pausedUntil.remove(partition);
            if (c.assignment().contains(partition)) {
                c.resume(List.of(partition));
            }
        }
    }

    private final class ForgetRevoked implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            partitions.forEach(pausedUntil::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    }
}
