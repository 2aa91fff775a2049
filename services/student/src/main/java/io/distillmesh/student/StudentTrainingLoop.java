package io.distillmesh.student;

import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.specialist.Generalist;
import io.distillmesh.core.specialist.SpecialistNetworks;
import io.distillmesh.core.train.SoftBatchBuilder;
import io.distillmesh.core.train.StudentTrainer;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Trains one student from a run's stream, in its own consumer group: {@code epochs} passes, each from
 * offset 0 up to the teacher's run-end record. After every {@code checkpointEveryBatches} batches
 * (and at each pass end) it saves the model with the offset it has trained through; on start it resumes
 * from the newest checkpoint, so nothing is lost and nothing is trained twice past it. Records that fail
 * to decode, or that do not fit the student's network, go to the dead-letter topic. A {@link RunStreamReader} thread fetches and decodes ahead of
 * training. A residual student with an FSP stage first runs {@link FspStageOne} on the run's FSP topic and
 * checkpoints its end; a restart after that checkpoint goes straight to the soft-target stream, one before it
 * repeats stage 1. Blocking: run it on its own worker thread.
 */
public final class StudentTrainingLoop implements Runnable {
    public enum State { STARTING, TRAINING, DONE, STOPPED, FAILED }

    private static final Logger LOG = LoggerFactory.getLogger(StudentTrainingLoop.class);

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
    private volatile String residualPath;
    private volatile Model network;
    private ToDoubleFunction<DataSet> fit;
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
        Gauge.builder("dm.student.consumer.lag", lag::get)
                .description("samples between position and end of topic (records behind times the last record's samples)")
                .tags(tags.and("group", groupId())).register(registry);
        Gauge.builder("dm.student.pass", () -> pass).tags(tags).register(registry);
    }

    public String groupId() {
        return "student-" + spec.studentId();
    }

    /** Trains to the end; a failure leaves it FAILED with the cause logged, and an {@link Error} is thrown on. */
    @Override
    public void run() {
        try {
            train();
            finish(stopRequested ? State.STOPPED : State.DONE);
        } catch (Exception e) {
            fail(e);
        } catch (Error e) {
            fail(e);
            throw e;
        }
    }

    /**
     * Marks the student FAILED with {@code cause} as its error, logs it, and ends training at once; a student that has
     * failed stays FAILED (a second cause is not recorded).
     */
    public void fail(Throwable cause) {
        synchronized (this) {
            if (state == State.FAILED) {
                return;
            }
            error = cause.getMessage() == null ? cause.toString() : cause.getMessage();
            state = State.FAILED;
        }
        abort();
        LOG.error("student {} failed: {}", spec.studentId(), error, cause);
    }

    private synchronized void finish(State end) {
        if (state != State.FAILED) {
            state = end;
        }
    }

    private void train() throws InterruptedException {
        Checkpoint start = store.latest(spec).orElse(null);
        StreamPosition position = start == null ? StreamPosition.START : start.position();
        pass = position.pass();
        long batches = start == null ? 0 : start.batches();
        samplesTrained.set(start == null ? 0 : start.samplesTrained());
        finish(State.TRAINING);
        SoftBatchBuilder batch;
        if (spec.residual()) {
            ComputationGraph graph = start == null ? ModelZoo.resnet(spec.resnet(),
                    new KnowledgeDistillationLoss(spec.temperature(), spec.alpha(), spec.resnet().numClasses()),
                    Activation.IDENTITY) : (ComputationGraph) start.network();
            network = graph;
            TrainingStep step = TrainingStep.of(graph, "the residual student");
            residualPath = step.path();
            fit = data -> step.step(data.getFeatures(), data.getLabels());
            batch = new SoftBatchBuilder(spec.batchSize(), ModelSpec.INPUT_FEATURES, spec.resnet().numClasses(),
                    spec.temperature());
            if (spec.fsp() != null && start == null) {
                FspStageOne stageOne = new FspStageOne(spec, kafka, deadLetters, consumed,
                        loss -> lastLoss = loss, () -> stopRequested);
                if (!stageOne.trainInto(graph)) {
                    return;
                }
                Checkpoint fspDone = new Checkpoint(graph, Checkpoint.FSP_DONE, 0, 0, 0, 0, 0, 0, 0);
                checkpointListener.onCheckpoint(store.save(fspDone, spec), fspDone);
            }
        } else if (spec.isSpecialist()) {
            SpecialistRole role = spec.specialist();
            Model net = start == null ? SpecialistNetworks.fromGeneralist(
                    Generalist.load(Path.of(role.generalistModel())).network(), role.reduction(), spec.temperature(),
                    spec.alpha(), role.learningRate(), role.seed()) : start.network();
            trainer = StudentTrainer.specialist(net, role.reduction(), spec.temperature(), spec.alpha());
            network = trainer.network();
            fit = trainer::fit;
            batch = trainer.newBatch(spec.batchSize());
        } else {
            trainer = start == null ? StudentTrainer.create(spec.model(), spec.temperature(), spec.alpha())
                    : new StudentTrainer((MultiLayerNetwork) start.network(), spec.temperature(), spec.alpha(),
                    spec.model().numClasses());
            network = trainer.network();
            fit = trainer::fit;
            batch = trainer.newBatch(spec.batchSize());
        }
        RunStreamReader reader = new RunStreamReader(spec, kafka, groupId(), batch, SampleFilter.of(spec), position,
                deadLetters, consumed, lag);
        Thread readerThread = new Thread(reader, "student-" + spec.studentId() + "-reader");
        readerThread.setDaemon(true);
        readerThread.start();
        try {
            while (pass < spec.epochs() && !stopRequested) {
                RunStreamReader.Item item = reader.next(200);
                if (abortRequested) {
                    return;
                }
                if (item instanceof RunStreamReader.Batch b) {
                    trainBatch(b);
                    batches++;
                    if (batches % spec.checkpointEveryBatches() == 0) {
                        checkpoint(reader, b.next(), batches);
                    }
                } else if (item instanceof RunStreamReader.PassEnd end) {
                    pass = end.pass() + 1;
                    checkpoint(reader, end.next(), batches);
                } else if (item instanceof RunStreamReader.Failure failure) {
                    throw new IllegalStateException("reading the run failed: " + failure.cause().getMessage(),
                            failure.cause());
                }
            }
            reader.trainerDone();
        } finally {
            if (abortRequested || stopRequested) {
                reader.stop();
            }
            readerThread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    private void trainBatch(RunStreamReader.Batch batch) {
        int n = batch.sampleIds().length;
        long t0 = System.nanoTime();
        lastLoss = fit.applyAsDouble(batch.data());
        batchTimer.record(Duration.ofNanos(System.nanoTime() - t0));
        listener.onBatch(batch.pass(), batch.sampleIds());
        samplesTrained.addAndGet(n);
        trainedCounter.increment(n);
    }

    private void checkpoint(RunStreamReader reader, StreamPosition position, long batches) {
        Checkpoint checkpoint = new Checkpoint(network, position, samplesTrained.get(), batches);
        Path model = store.save(checkpoint, spec);
        reader.requestCommit(position);
        checkpointListener.onCheckpoint(model, checkpoint);
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

    /** The student network of a plain student (null before training starts, and for residual students). */
    /** How this student trains ({@link TrainingStep#path()}), or null before it has started. */
    public String trainingPath() {
        StudentTrainer dense = trainer;
        return dense != null ? dense.trainingPath() : residualPath;
    }

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
