package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;

/**
 * How far each run got, cluster-wide: the teachers' committed offsets on the run's work topic against the run's
 * plan ({@link RunWorkIndex}, read once per run; {@code pieces} tells how many pieces a run's plan has). Blocking;
 * safe to share between threads.
 */
final class RunCommits implements AutoCloseable {
    private final KafkaSettings kafka;
    private final Admin admin;
    private final Map<String, RunWorkIndex> indexes = new ConcurrentHashMap<>();
    private final ToIntFunction<String> pieces;

    /** How far one run got: samples streamed, and whether its end is in the stream. */
    record Progress(long samples, boolean ended) {
    }

    RunCommits(KafkaSettings kafka, ToIntFunction<String> pieces) {
        this.kafka = kafka;
        this.pieces = pieces;
        this.admin = Admin.create(kafka.admin());
    }

    /** Empty while the run's plan is not committed. */
    Optional<Progress> progress(String runId) {
        return index(runId).map(index -> {
            Map<TopicPartition, OffsetAndMetadata> committed = committed(runId);
            return new Progress(index.samplesDone(committed), index.ended(committed));
        });
    }

    boolean samplesComplete(String runId) {
        return index(runId).map(index -> index.samplesComplete(committed(runId))).orElse(false);
    }

    private Optional<RunWorkIndex> index(String runId) {
        RunWorkIndex known = indexes.get(runId);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<RunWorkIndex> read = RunWorkIndex.read(kafka, runId, pieces.applyAsInt(runId));
        read.ifPresent(index -> indexes.put(runId, index));
        return read;
    }

    /**
     * The work group's committed offsets on the run's work topic. Not {@code requireStable}: with it the broker answers
     * UNSTABLE_OFFSET_COMMIT for a partition whose offsets a transaction still holds, and the admin client leaves that
     * partition out; a teacher holds one open on the work partition nearly all the time, so the run read as 0 done.
     */
    Map<TopicPartition, OffsetAndMetadata> committed(String runId) {
        String topic = Topics.work(runId);
        try {
            Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(WorkLoop.GROUP,
                            new ListConsumerGroupOffsetsOptions().requireStable(false))
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> run = new HashMap<>();
            all.forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    run.put(partition, offset);
                }
            });
            return run;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the teachers' offsets of run " + runId + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the offsets of run " + runId, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
