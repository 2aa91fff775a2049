package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.KafkaSettings;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;

import java.util.List;
import java.util.Map;

/**
 * Writes a run's plan to its work topic, once: in one transaction under an id of the run's own, so that a second
 * writer (a retried request on another replica, a teacher taking runs up at start) first aborts whatever an earlier
 * one left open and then finds a committed plan and writes nothing. Blocking.
 */
final class WorkPlanPublisher {
    private static final int TRANSACTION_TIMEOUT_MS = 30_000;
    private static final int ATTEMPTS = 3;
    private final KafkaSettings kafka;

    WorkPlanPublisher(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /**
     * Publishes the plan unless one is committed; answers whether this call wrote it. A transaction the coordinator
     * aborted under it (its epoch bumped, as happens while a new cluster's transaction coordinators settle) is tried
     * again with a new producer, up to {@link #ATTEMPTS} times: the plan is written once either way.
     */
    boolean publish(String runId, RunPlan plan) {
        for (int attempt = 1; ; attempt++) {
            try {
                return publishOnce(runId, plan);
            } catch (KafkaException e) {
                if (attempt == ATTEMPTS || !epochBumped(e)) {
                    throw e;
                }
                System.err.println("teacher: the plan of run '" + runId + "' was aborted by its transaction "
                        + "coordinator (" + e.getMessage() + "); attempt " + (attempt + 1) + " of " + ATTEMPTS);
            }
        }
    }

    private static boolean epochBumped(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    private boolean publishOnce(String runId, RunPlan plan) {
        String topic = Topics.work(runId);
        Map<String, Object> config = kafka.transactionalProducer("teacher-plan", "dm-plan-" + runId,
                TRANSACTION_TIMEOUT_MS);
        // one piece per producer batch, so that a teacher fetches one piece per partition at a time (runs interleave)
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.initTransactions();
            List<WorkItem> items = plan.items();
            if (RunWorkIndex.read(kafka, runId, 1).isPresent()) {
                return false;
            }
            producer.beginTransaction();
            for (int i = 0; i < items.size(); i++) {
                producer.send(new ProducerRecord<>(topic, plan.partitionOf(i), runId, items.get(i).encode()));
            }
            producer.commitTransaction();
            return true;
        }
    }
}
