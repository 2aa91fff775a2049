package io.distillmesh.student;

import java.nio.file.Path;
import java.util.Arrays;
import io.distillmesh.core.train.SoftBatchBuilder;
import io.distillmesh.core.train.StudentTrainer;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.records.RecordFormatException;
import io.distillmesh.messaging.records.RunEndRecord;
import io.distillmesh.messaging.records.RunRecord;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.distillmesh.messaging.records.SoftTargetRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trains one student from a run's stream, in its own consumer group: {@code epochs} passes, each from
 * offset 0 up to the teacher's {@link RunEndRecord}. After every {@code checkpointEveryBatches} batches
 * (and at each pass end) it saves the model with the offset it has trained through; on start it resumes
 * from the newest checkpoint, so nothing is lost and nothing is trained twice past it. Records that fail
 * to decode go to the dead-letter topic. Blocking: run it on its own worker thread.
 */
public final class StudentTrainingLoop implements Runnable {
    public enum State { STARTING, TRAINING, DONE, STOPPED, FAILED }

    private final StudentSpec spec;
    private final KafkaSettings kafka;
    private final CheckpointStore store;
    private final DeadLetterPublisher deadLetters;
    private final TrainedBatchListener listener;
    private final Counter consumed;
    private final Counter trainedCounter;
    private final Timer batchTimer;
    private final AtomicLong lag = new AtomicLong();
    private final AtomicLong samplesTrained = new AtomicLong();
    private volatile double lastLoss = Double.NaN;
    private volatile int pass;
    private volatile State state = State.STARTING;
    private volatile String error;
    private volatile boolean stopRequested;
    private volatile boolean abortRequested;
    private volatile StudentTrainer trainer;
    private volatile CheckpointListener checkpointListener = (model, checkpoint) -> { };

    public StudentTrainingLoop(StudentSpec spec, KafkaSettings kafka, CheckpointStore store,
                               DeadLetterPublisher deadLetters, MeterRegistry registry, TrainedBatchListener listener) {
        this.spec = spec;
        this.kafka = kafka;
        this.store = store;
        this.deadLetters = deadLetters;
        this.listener = listener;
        Tags tags = Tags.of("student", spec.studentId(), "run", spec.runId());
        consumed = Counter.builder("dm.student.records.consumed").tags(tags).register(registry);
        trainedCounter = Counter.builder("dm.student.samples.trained").tags(tags).register(registry);
        batchTimer = Timer.builder("dm.student.batch").description("time to train one minibatch").tags(tags)
                .publishPercentileHistogram().register(registry);
        Gauge.builder("dm.student.training.loss", () -> lastLoss).tags(tags).register(registry);
        Gauge.builder("dm.student.consumer.lag", lag::get).description("records between position and end of topic")
                .tags(tags.and("group", groupId())).register(registry);
        Gauge.builder("dm.student.pass", () -> pass).tags(tags).register(registry);
    }

    public String groupId() {
        return "student-" + spec.studentId();
    }

    @Override
    public void run() {
        try {
            train();
            state = stopRequested ? State.STOPPED : State.DONE;
        } catch (Exception e) {
            error = e.getMessage();
            state = State.FAILED;
        }
    }

    private void train() {
        Checkpoint start = store.latest(spec).orElse(null);
        trainer = start == null ? StudentTrainer.create(spec.model(), spec.temperature(), spec.alpha())
                : new StudentTrainer(start.network(), spec.temperature(), spec.alpha(), spec.model().numClasses());
        pass = start == null ? 0 : start.pass();
        long offset = start == null ? 0 : start.offset();
        long batches = start == null ? 0 : start.batches();
        samplesTrained.set(start == null ? 0 : start.samplesTrained());
        state = State.TRAINING;
        TopicPartition partition = new TopicPartition(Topics.softTargets(spec.runId()), 0);
        SoftBatchBuilder batch = trainer.newBatch(spec.batchSize());
        long[] batchIds = new long[spec.batchSize()];
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(groupId(), spec.studentId()))) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, offset);
            while (pass < spec.epochs() && !stopRequested) {
                var records = consumer.poll(Duration.ofMillis(200));
                updateLag(consumer, partition);
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (abortRequested) {
                        return;
                    }
                    RunRecord decoded;
                    try {
                        decoded = RunRecordCodec.decode(record.value());
                    } catch (RecordFormatException e) {
                        deadLetters.publish(record, e.getMessage());
                        continue;
                    }
                    if (decoded instanceof SoftTargetRecord s) {
                        consumed.increment();
                        if (s.labelled() || trainer.learnsFromUnlabelled()) {
                            batchIds[batch.size()] = s.sampleId();
                            batch.add(s.input(), s.label(), s.logProbs(), s.temperature());
                        }
                        if (batch.isFull()) {
                            trainBatch(batch, batchIds);
                            batches++;
                            if (batches % spec.checkpointEveryBatches() == 0) {
                                checkpoint(consumer, partition, record.offset() + 1, batches);
                            }
                        }
                    } else if (decoded instanceof RunEndRecord) {
                        if (batch.size() > 0) {
                            trainBatch(batch, batchIds);
                            batches++;
                        }
                        pass++;
                        long resumeAt = pass < spec.epochs() ? 0 : record.offset() + 1;
                        checkpoint(consumer, partition, resumeAt, batches);
                        if (pass < spec.epochs()) {
                            consumer.seek(partition, 0);
                        }
                        break;
                    }
                }
            }
        }
    }

    private void trainBatch(SoftBatchBuilder batch, long[] ids) {
        int n = batch.size();
        long t0 = System.nanoTime();
        lastLoss = trainer.fit(batch.build());
        batchTimer.record(Duration.ofNanos(System.nanoTime() - t0));
        listener.onBatch(pass, Arrays.copyOf(ids, n));
        batch.clear();
        samplesTrained.addAndGet(n);
        trainedCounter.increment(n);
    }

    private void checkpoint(Consumer<String, byte[]> consumer, TopicPartition partition, long offset, long batches) {
        Checkpoint checkpoint = new Checkpoint(trainer.network(), pass, offset, samplesTrained.get(), batches);
        Path model = store.save(checkpoint, spec);
        consumer.commitSync(Map.of(partition, new OffsetAndMetadata(offset, "pass=" + pass)));
        checkpointListener.onCheckpoint(model, checkpoint);
    }

    /** From the consumer's last fetch metadata: no request to the broker. */
    private void updateLag(Consumer<String, byte[]> consumer, TopicPartition partition) {
        consumer.currentLag(partition).ifPresent(l -> lag.set(Math.max(0, l)));
    }

    /** Ends after the current batch and leaves the last checkpoint as it is (a graceful stop). */
    public void stop() {
        stopRequested = true;
    }

    /** Ends at once, like a killed process: whatever was trained since the last checkpoint is lost. */
    public void abort() {
        abortRequested = true;
        stopRequested = true;
    }

    public State state() {
        return state;
    }

    public String error() {
        return error;
    }

    public long samplesTrained() {
        return samplesTrained.get();
    }

    public int pass() {
        return pass;
    }

    public double lastLoss() {
        return lastLoss;
    }

    public StudentSpec spec() {
        return spec;
    }

    /** The student network (null before training starts). */
    public StudentTrainer trainer() {
        return trainer;
    }

    /** Registers who is told of each saved checkpoint (the service publishes it to Kafka). */
    public void onCheckpoint(CheckpointListener listener) {
        this.checkpointListener = listener;
    }

    /** Told of each checkpoint once it is saved. */
    @FunctionalInterface
    public interface CheckpointListener {
        void onCheckpoint(Path model, Checkpoint checkpoint);
    }

    /** Told of every trained minibatch: the pass and the sample ids in it. */
    @FunctionalInterface
    public interface TrainedBatchListener {
        TrainedBatchListener NONE = (pass, ids) -> { };

        void onBatch(int pass, long[] sampleIds);
    }
}
