package io.distillmesh.evaluator.web;

import io.distillmesh.evaluator.EvaluationTopics;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.RecordFormatException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads dm.eval.results from its beginning into the {@link ResultsBoard}, says when it has caught up with the
 * end the topic had when it started, then follows the tail and hands every applied result's subject view to a
 * listener (the dashboard's event stream). No consumer group: it always reads the whole topic. Records it
 * cannot decode go to the dead-letter topic. Blocking: run it on its own worker thread.
 */
public final class ResultsTopicView implements Runnable {
    private final KafkaSettings kafka;
    private final ResultsBoard board;
    private final DeadLetterPublisher deadLetters;
    private final java.util.function.Consumer<JsonObject> listener;
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopRequested;

    public ResultsTopicView(KafkaSettings kafka, ResultsBoard board, DeadLetterPublisher deadLetters,
                            java.util.function.Consumer<JsonObject> listener) {
        this.kafka = kafka;
        this.board = board;
        this.deadLetters = deadLetters;
        this.listener = listener;
    }

    /** Completes once every result that was on the topic when the view started is on the board. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    @Override
    public void run() {
        Map<String, Object> settings = kafka.consumer("unused", "evaluator-results-view");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> partitions = consumer.partitionsFor(EvaluationTopics.RESULTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (!stopRequested) {
                if (!caughtUp.isDone() && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp.complete(null);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
            }
        } catch (RuntimeException e) {
            caughtUp.completeExceptionally(new IllegalStateException("cannot read " + EvaluationTopics.RESULTS + ": "
                    + e.getMessage(), e));
            throw e;
        } finally {
            caughtUp.completeExceptionally(new IllegalStateException("the results view stopped before catching up"));
            ended.countDown();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: results are never deleted today, so there is nothing to take off the board
        }
        EvaluationResultRecord result;
        try {
            result = EvaluationResultRecord.decode(record.value());
            if (!result.key().equals(record.key())) {
                throw new RecordFormatException("key '" + record.key() + "' is not the result's key '" + result.key() + "'");
            }
        } catch (RecordFormatException e) {
            deadLetters.publish(record, e.getMessage());
            return;
        }
        try {
            listener.accept(board.apply(result));
        } catch (RuntimeException e) {
            // the view must outlive any one record, whatever the board or a dashboard listener make of it
            deadLetters.publish(record, "the evaluator could not apply it: " + e);
        }
    }

    public void stop() {
        stopRequested = true;
    }

    public boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }
}
