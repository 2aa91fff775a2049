package io.distillmesh.student;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.CheckpointRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.file.Path;

/**
 * Announces each checkpoint the student saves on {@link Topics#CHECKPOINTS} (model path, pass, offset, samples
 * trained, last loss and the student's spec), for the evaluator; a checkpoint that cannot be announced fails the
 * student.
 */
final class CheckpointAnnouncer implements StudentTrainingLoop.CheckpointListener {
    private final Producer<String, byte[]> producer;
    private final StudentTrainingLoop loop;

    CheckpointAnnouncer(Producer<String, byte[]> producer, StudentTrainingLoop loop) {
        this.producer = producer;
        this.loop = loop;
    }

    @Override
    public void onCheckpoint(Path model, Checkpoint checkpoint) {
        StudentSpec spec = loop.spec();
        CheckpointRecord record = new CheckpointRecord(spec.studentId(), spec.runId(),
                model.toAbsolutePath().toString(), checkpoint.pass(), spec.epochs(), checkpoint.offset(),
                checkpoint.samplesTrained(), loop.lastLoss(), spec.toJson());
        producer.send(new ProducerRecord<>(Topics.CHECKPOINTS, spec.studentId(), record.encode()), (sent, e) -> {
            if (e != null) {
                loop.fail(new IllegalStateException("cannot announce checkpoint " + model + " on "
                        + Topics.CHECKPOINTS + ": " + e.getMessage(), e));
            }
        });
    }
}
