package io.distillmesh.evaluator.checkpoint;

import io.distillmesh.evaluator.EvaluationTopics;
import io.distillmesh.evaluator.distilled.DistilledSetEvaluator;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.distillmesh.evaluator.subject.DistilledSetSubject;
import io.distillmesh.evaluator.subject.EvaluationSubject;
import io.distillmesh.evaluator.subject.LatestPerSubjectQueue;
import io.distillmesh.evaluator.subject.StudentCheckpointSubject;
import io.distillmesh.evaluator.web.ResultsBoard;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.records.CheckpointRecord;
import io.distillmesh.messaging.records.DistilledSetRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.distillmesh.messaging.records.RecordFormatException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The evaluator's worker: consumes dm.checkpoints and dm.distilled in its own consumer group, queues each valid
 * checkpoint (a newer checkpoint of the same student supersedes a waiting one) and each distilled set (a newer
 * set of the same job supersedes a waiting one), takes REST requests into the same queue, evaluates one subject
 * at a time and publishes its results to dm.eval.results. Malformed records go to the dead-letter topic with the
 * reason. Offsets are committed once every record read so far is either
 * evaluated or superseded (the queue is empty); a checkpoint read again after a crash is skipped when its
 * point is already on the board with the same model and settings (a distilled set: the same announcement). Blocking: run it on its own worker thread.
 */
public final class CheckpointEvaluationLoop implements Runnable {
    public static final String GROUP = "evaluator";
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointEvaluationLoop.class);
    private final KafkaSettings kafka;
    private final ArtifactDirectory artifacts;
    private final TestSetEvaluator evaluator;
    private final ResultsBoard board;
    private final Producer<String, byte[]> producer;
    private final DeadLetterPublisher deadLetters;
    private final DistilledSetEvaluator distilledSets;
    private final MeterRegistry registry;
    private final LatestPerSubjectQueue queue = new LatestPerSubjectQueue();
    private final Counter superseded;
    private final Counter alreadyEvaluated;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile boolean running = true;
    private volatile String lastFailure;

    public CheckpointEvaluationLoop(KafkaSettings kafka, ArtifactDirectory artifacts, TestSetEvaluator evaluator,
                                    ResultsBoard board, Producer<String, byte[]> producer,
                                    DeadLetterPublisher deadLetters, DistilledSetEvaluator distilledSets,
                                    MeterRegistry registry) {
        this.kafka = kafka;
        this.artifacts = artifacts;
        this.evaluator = evaluator;
        this.board = board;
        this.producer = producer;
        this.deadLetters = deadLetters;
        this.distilledSets = distilledSets;
        this.registry = registry;
        this.superseded = skipped("superseded");
        this.alreadyEvaluated = skipped("already-evaluated");
        for (SubjectKind kind : SubjectKind.values()) {
            evaluations(kind);
            failures(kind);
            evaluationTimer(kind);
        }
        Gauge.builder("dm.evaluator.queue.size", queue, LatestPerSubjectQueue::size)
                .description("subjects waiting to be evaluated").register(registry);
    }

    /** Queues a subject from outside the checkpoint stream (a REST request, the teacher at start). */
    public void request(EvaluationSubject subject) {
        queue.offer(subject);
    }

    @Override
    public void run() {
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer(GROUP, GROUP))) {
            consumer.subscribe(List.of(Topics.CHECKPOINTS, Topics.DISTILLED));
            boolean uncommitted = false;
            while (!stopRequested) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(queue.isEmpty() ? Duration.ofMillis(200)
                        : Duration.ZERO)) {
                    accept(record);
                    uncommitted = true;
                }
                EvaluationSubject next = queue.poll();
                if (next != null) {
                    evaluate(next);
                }
                if (uncommitted && queue.isEmpty()) {
                    try {
                        consumer.commitSync();
                        uncommitted = false;
                    } catch (CommitFailedException e) {
                        LOG.warn("offsets not committed ({}); records read again later are skipped as evaluated",
                                e.getMessage());
                    }
                }
            }
        } catch (RuntimeException e) {
            lastFailure = "the checkpoint loop stopped: " + e;
            LOG.error("the checkpoint loop stopped", e);
            throw e;
        } finally {
            running = false;
            ended.countDown();
        }
    }

    private void accept(ConsumerRecord<String, byte[]> record) {
        EvaluationSubject subject;
        try {
            subject = record.topic().equals(Topics.DISTILLED)
                    ? DistilledSetSubject.announced(DistilledSetRecord.decode(record.value()), distilledSets)
                    : StudentCheckpointSubject.from(CheckpointRecord.decode(record.value()), artifacts);
        } catch (RecordFormatException | IllegalArgumentException e) {
            deadLetters.publish(record, e.getMessage());
            return;
        }
        boolean checkpoint = subject instanceof StudentCheckpointSubject;
        if (subject.evaluatedOn(board)) {
            if (checkpoint) {
                alreadyEvaluated.increment();
            }
        } else if (queue.offer(subject) != null && checkpoint) {
            superseded.increment();
        }
    }

    private void evaluate(EvaluationSubject subject) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("evaluations must never run on an event loop thread");
        }
        long start = System.nanoTime();
        try {
            for (EvaluationResultRecord result : subject.evaluate(evaluator)) {
                producer.send(new ProducerRecord<>(EvaluationTopics.RESULTS, result.key(), result.encode()))
                        .get(60, TimeUnit.SECONDS);
            }
            evaluationTimer(subject.kind()).record(Duration.ofNanos(System.nanoTime() - start));
            evaluations(subject.kind()).increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested = true;
        } catch (Exception e) {
            failures(subject.kind()).increment();
            lastFailure = subject.key() + ": " + e.getMessage();
            LOG.warn("cannot evaluate {}: {}", subject.key(), e.getMessage());
        }
    }

    private Timer evaluationTimer(SubjectKind kind) {
        return Timer.builder("dm.evaluator.evaluation").description("time to evaluate one subject and publish its result")
                .tag("kind", kind.wireName()).register(registry);
    }

    private Counter evaluations(SubjectKind kind) {
        return Counter.builder("dm.evaluator.evaluations").description("evaluation results published")
                .tag("kind", kind.wireName()).register(registry);
    }

    private Counter failures(SubjectKind kind) {
        return Counter.builder("dm.evaluator.evaluation.failures")
                .description("subjects that could not be evaluated (reason in the log and in /health)")
                .tag("kind", kind.wireName()).register(registry);
    }

    private Counter skipped(String reason) {
        return Counter.builder("dm.evaluator.checkpoints.skipped")
                .description("checkpoints not evaluated: superseded by a newer one, or evaluated before")
                .tag("reason", reason).register(registry);
    }

    /** The last evaluation that failed, with its reason, or null. */
    public String lastFailure() {
        return lastFailure;
    }

    /** False once the loop has ended (stopped, or failed: see {@link #lastFailure()}). */
    public boolean running() {
        return running;
    }

    public int queued() {
        return queue.size();
    }

    /** Ends after the current evaluation. */
    public void stop() {
        stopRequested = true;
    }

    public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }
}
