package io.distillmesh.student;

import io.distillmesh.core.train.SoftBatchBuilder;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.records.RecordFormatException;
import io.distillmesh.messaging.records.RunEndRecord;
import io.distillmesh.messaging.records.RunRecord;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.distillmesh.messaging.records.SoftTargetBatchRecord;
import io.distillmesh.messaging.records.SoftTargetRecord;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.nd4j.linalg.dataset.DataSet;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads a run's topic on its own thread and hands ready minibatches to the trainer, so that fetching,
 * decoding and batch assembly overlap training. Each batch carries the position just past its last sample (inside a
 * record when the batch ended there: a teacher writes many samples a record); each pass ends with a {@link PassEnd},
 * at the run-end record that comes after as many records as it declares (an earlier one is dead-lettered, see
 * {@link PassCount}). It owns the Kafka consumer, so it also commits the group offsets the trainer asks for after a
 * checkpoint, and dead-letters records it cannot decode or that hold a sample that does not fit the student's network
 * ({@link SampleFit}): the record is the unit, none of its samples is trained on.
 */
final class RunStreamReader implements Runnable {
    sealed interface Item permits Batch, PassEnd, Failure {
    }

    /** A minibatch; a checkpoint taken after it resumes at {@code next}. */
    record Batch(int pass, long[] sampleIds, DataSet data, StreamPosition next) implements Item {
    }

    /** The pass is over; a checkpoint taken now resumes at {@code next} (the next pass's start, or past the end). */
    record PassEnd(int pass, StreamPosition next) implements Item {
    }

    record Failure(Throwable cause) implements Item {
    }

    private final StudentSpec spec;
    private final KafkaSettings kafka;
    private final String groupId;
    private final SoftBatchBuilder batch;
    private final SampleFit fit;
    private final SampleFilter filter;
    private final StreamPosition start;
    private final DeadLetterPublisher deadLetters;
    private final Counter consumed;
    private final AtomicLong lag;
    private final BlockingQueue<Item> ready = new ArrayBlockingQueue<>(4);
    private final AtomicReference<OffsetAndMetadata> commitRequest = new AtomicReference<>();
    private final CountDownLatch trainerDone = new CountDownLatch(1);
    private volatile boolean stopped;
    /** Samples in the last soft-target record read: the lag gauge counts samples, the consumer records. */
    private int samplesPerRecord = 1;

    RunStreamReader(StudentSpec spec, KafkaSettings kafka, String groupId, SoftBatchBuilder batch, SampleFilter filter,
                    StreamPosition start, DeadLetterPublisher deadLetters, Counter consumed, AtomicLong lag) {
        this.spec = spec;
        this.kafka = kafka;
        this.groupId = groupId;
        this.batch = batch;
        this.fit = SampleFit.of(spec);
        this.filter = filter;
        this.start = start;
        this.deadLetters = deadLetters;
        this.consumed = consumed;
        this.lag = lag;
    }

    @Override
    public void run() {
        TopicPartition partition = new TopicPartition(Topics.softTargets(spec.runId()), 0);
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(groupId, spec.studentId()))) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, start.offset());
            long[] ids = new long[spec.batchSize()];
            int pass = start.pass();
            int skip = start.skip();
            PassCount count = new PassCount(spec.runId(), start.passRecords(), start.passSamples());
            while (pass < spec.epochs() && !stopped) {
                commitRequested(consumer, partition);
                var records = consumer.poll(Duration.ofMillis(200));
                OptionalLong recordsBehind = consumer.currentLag(partition);
                for (ConsumerRecord<String, byte[]> record : records) {
                    RunRecord decoded;
                    try {
                        decoded = RunRecordCodec.decode(record.value());
                    } catch (RecordFormatException e) {
                        count.add(0);
                        deadLetters.publish(record, e.getMessage());
                        continue;
                    }
                    if (decoded instanceof RunEndRecord end) {
                        Optional<String> early = count.earlyEnd(record, end.records(), end.samples());
                        if (early.isPresent()) {
                            deadLetters.publish(record, early.get());
                            continue;
                        }
                        if (batch.size() > 0) {
                            // resuming after this batch reads the end record again, so that the pass ends
                            hand(new Batch(pass, Arrays.copyOf(ids, batch.size()), batch.build(),
                                    new StreamPosition(pass, record.offset(), 0, count.records(), count.samples())));
                            batch.clear();
                        }
                        count.restart();
                        pass++;
                        hand(new PassEnd(pass - 1, StreamPosition.passStart(pass,
                                pass < spec.epochs() ? 0 : record.offset() + 1)));
                        if (pass < spec.epochs()) {
                            consumer.seek(partition, 0);
                        }
                        break;
                    }
                    List<SoftTargetRecord> samples = decoded instanceof SoftTargetBatchRecord b ? b.samples()
                            : List.of((SoftTargetRecord) decoded);
                    samplesPerRecord = samples.size();
                    int first = record.offset() == start.offset() && pass == start.pass() ? skip : 0;
                    skip = 0;
                    if (first >= samples.size()) {
                        throw new IllegalStateException("the checkpoint resumes " + first + " samples into the record at "
                                + record.topic() + "/" + record.partition() + "@" + record.offset() + ", which holds "
                                + samples.size() + ": the topic is not the one the checkpoint was taken on");
                    }
                    count.add(samples.size());
                    consumed.increment(samples.size() - first);
                    Optional<String> problem = firstProblem(samples);
                    if (problem.isPresent()) {
                        deadLetters.publish(record, problem.get());
                        continue;
                    }
                    for (int i = first; i < samples.size(); i++) {
                        SoftTargetRecord s = samples.get(i);
                        if (!filter.keeps(s)) {
                            continue;
                        }
                        ids[batch.size()] = s.sampleId();
                        batch.add(s.input(), s.label(), s.logProbs(), s.temperature());
                        if (batch.isFull()) {
                            hand(new Batch(pass, Arrays.copyOf(ids, batch.size()), batch.build(),
                                    after(pass, record, i, samples.size(), count)));
                            batch.clear();
                        }
                    }
                }
                recordsBehind.ifPresent(l -> lag.set(Math.max(0, l) * samplesPerRecord));
            }
            while (!stopped && !trainerDone.await(50, TimeUnit.MILLISECONDS)) {
                commitRequested(consumer, partition);
            }
            commitRequested(consumer, partition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            ready.offer(new Failure(e));
        }
    }

    /** The next item, or null when none arrived within the wait. */
    Item next(long millis) throws InterruptedException {
        return ready.poll(millis, TimeUnit.MILLISECONDS);
    }

    void requestCommit(StreamPosition position) {
        commitRequest.set(new OffsetAndMetadata(position.offset(), "pass=" + position.pass()
                + (position.skip() > 0 ? " skip=" + position.skip() : "")));
    }

    /**
     * The position just past sample {@code i} of {@code record} (of {@code size} samples), which {@code count} has
     * counted: inside the record, or at the next one.
     */
    private static StreamPosition after(int pass, ConsumerRecord<?, ?> record, int i, int size, PassCount count) {
        if (i == size - 1) {
            return new StreamPosition(pass, record.offset() + 1, 0, count.records(), count.samples());
        }
        return new StreamPosition(pass, record.offset(), i + 1, count.records() - 1, count.samples() - size);
    }

    /** Why the student cannot train on one of a record's samples, naming the first that does not fit. */
    private Optional<String> firstProblem(List<SoftTargetRecord> samples) {
        for (int i = 0; i < samples.size(); i++) {
            Optional<String> problem = fit.problem(samples.get(i));
            if (problem.isPresent()) {
                return samples.size() == 1 ? problem
                        : Optional.of(problem.get() + " (" + (i + 1) + " of the record's " + samples.size() + ")");
            }
        }
        return Optional.empty();
    }

    /** The trainer is finished: commit what it asked for last and close. */
    void trainerDone() {
        trainerDone.countDown();
    }

    /** Stop reading at once. */
    void stop() {
        stopped = true;
    }

    private void hand(Item item) throws InterruptedException {
        while (!stopped && !ready.offer(item, 100, TimeUnit.MILLISECONDS)) {
            // the trainer is behind: wait for room
        }
    }

    private void commitRequested(Consumer<String, byte[]> consumer, TopicPartition partition) {
        OffsetAndMetadata offset = commitRequest.getAndSet(null);
        if (offset != null) {
            consumer.commitSync(Map.of(partition, offset));
        }
    }
}
