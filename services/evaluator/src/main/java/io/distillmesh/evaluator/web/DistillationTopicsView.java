package io.distillmesh.evaluator.web;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.distillmesh.messaging.records.DistilledSetRecord;
import io.distillmesh.messaging.records.RecordFormatException;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads dm.distill.progress and dm.distilled from their beginning into {@link DistillationJobs} and follows their
 * tails, handing every applied record's event to a listener (the dashboard's feed). No consumer group. Progress
 * records it cannot decode go to the dead-letter topic; a bad dm.distilled record is the evaluation loop's to
 * report, so it is only skipped here. Blocking: run it on its own worker thread.
 */
public final class DistillationTopicsView implements Runnable {
    private final KafkaSettings kafka;
    private final DistillationJobs jobs;
    private final DeadLetterPublisher deadLetters;
    private final java.util.function.Consumer<JsonObject> listener;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stopRequested;

    public DistillationTopicsView(KafkaSettings kafka, DistillationJobs jobs, DeadLetterPublisher deadLetters,
                                  java.util.function.Consumer<JsonObject> listener) {
        this.kafka = kafka;
        this.jobs = jobs;
        this.deadLetters = deadLetters;
        this.listener = listener;
    }

    @Override
    public void run() {
        var settings = kafka.consumer("unused", "evaluator-distillation-view");
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(settings)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.DISTILL_PROGRESS, Topics.DISTILLED)) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stopRequested) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
            }
        } finally {
            ended.countDown();
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        boolean progress = record.topic().equals(Topics.DISTILL_PROGRESS);
        try {
            listener.accept(progress ? jobs.apply(DistillProgressRecord.decode(record.value()))
                    : jobs.apply(DistilledSetRecord.decode(record.value())));
        } catch (RecordFormatException e) {
            // a bad dm.distilled record is dead-lettered once, by the checkpoint loop, which reads that topic too
            if (progress) {
                deadLetters.publish(record, e.getMessage());
            }
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
