package io.distillmesh.student;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.teacher.RunSpec;
import io.distillmesh.teacher.RunStatus;
import io.distillmesh.teacher.TeacherRunStreamer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.nio.file.Path;
import java.util.Map;

/** Streams a real run (the committed CNN teacher on real Fashion-MNIST) into a real embedded broker. */
final class RunFixture {
    static final Path TEACHER = Path.of("../../models/teacher-cnn.zip").toAbsolutePath().normalize();
    private static LabelledImages train;
    private static TeacherModel teacher;

    private RunFixture() {
    }

    static synchronized LabelledImages train() {
        if (train == null) {
            train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        }
        return train;
    }

    static synchronized TeacherModel teacher() {
        if (teacher == null) {
            teacher = TeacherModel.load(TEACHER);
        }
        return teacher;
    }

    static KafkaSettings kafka(EmbeddedKafkaBroker broker) {
        return new KafkaSettings(broker.bootstrapServers(), Map.of());
    }

    /**
     * Streams {@code samples} training images for {@code epochs} teacher epochs, as many samples a record as a run
     * writes by default; returns when all are acknowledged.
     */
    static RunStatus stream(EmbeddedKafkaBroker broker, String runId, int samples, int epochs, int labelled) {
        return stream(broker, runId, samples, epochs, labelled, RunSpec.DEFAULT_SAMPLES_PER_RECORD);
    }

    /** The same, {@code samplesPerRecord} samples a record. */
    static RunStatus stream(EmbeddedKafkaBroker broker, String runId, int samples, int epochs, int labelled,
                            int samplesPerRecord) {
        broker.createTopic(Topics.softTargets(runId), 1, Map.of("retention.ms", "-1"));
        RunSpec spec = new RunSpec(runId, TEACHER.getFileName().toString(), "fashion-mnist", "train", 4.0, epochs,
                256, samples, labelled, 7).withSamplesPerRecord(samplesPerRecord);
        RunStatus status = new RunStatus(spec, (long) samples * epochs);
        try (Producer<String, byte[]> producer = new KafkaProducer<>(kafka(broker).producer("test-teacher"))) {
            new TeacherRunStreamer(teacher(), train(), status, producer, new SimpleMeterRegistry()).run();
        }
        if (status.state() != RunStatus.State.DONE) {
            throw new AssertionError("teacher run failed: " + status.toJson().encode());
        }
        return status;
    }
}
