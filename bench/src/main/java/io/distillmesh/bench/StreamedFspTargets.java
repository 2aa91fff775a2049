package io.distillmesh.bench;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.fsp.FspPair;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.records.FspEndRecord;
import io.distillmesh.messaging.records.FspRecord;
import io.distillmesh.messaging.records.FspRecordCodec;
import io.distillmesh.messaging.records.FspTargetRecord;
import io.distillmesh.teacher.RunSpec;
import io.distillmesh.teacher.RunStatus;
import io.distillmesh.teacher.TeacherRunStreamer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The teacher's FSP matrices as a student of the mesh gets them: the teacher streams one run over the training
 * images to a real (embedded) Kafka broker, through the teacher service's own streamer and record codec, and the
 * matrices are read back from the run's FSP topic. Once this returns, no teacher is needed to train the students.
 */
final class StreamedFspTargets {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long READ_TIMEOUT_NANOS = Duration.ofMinutes(10).toNanos();

    private StreamedFspTargets() {
    }

    /** Per pair, the flattened matrices of every training image, indexed by sample id. */
    static List<float[][]> of(ResidualTeacher teacher, LabelledImages train, List<FspPair> pairs, long seed)
            throws Exception {
        Path work = Files.createTempDirectory("streamed-fsp-");
        try (TemporaryFolder ignored = () -> FileUtils.deleteDirectory(work.toFile());
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"))) {
            KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), Map.of());
            String runId = "fsp-teacher";
            broker.createTopic(Topics.softTargets(runId), 1, Map.of("retention.ms", "-1"));
            broker.createTopic(Topics.fsp(runId), 1, Map.of("retention.ms", "-1"));
            RunSpec run = new RunSpec(runId, teacher.id(), "fashion-mnist", "train", 1.0, 1, 256, train.size(),
                    train.size(), seed, pairs);
            RunStatus status = new RunStatus(run, train.size());
            long t0 = System.nanoTime();
            try (Producer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("fsp-teacher"))) {
                new TeacherRunStreamer(teacher, train, status, producer, new SimpleMeterRegistry()).run();
            }
            if (status.state() != RunStatus.State.DONE) {
                throw new IllegalStateException("the teacher's FSP run failed: " + status.toJson().encode());
            }
            System.out.printf("teacher streamed FSP matrices of %d images to %s in %.0f s%n", status.produced(),
                    Topics.fsp(runId), (System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            List<float[][]> targets = read(kafka, Topics.fsp(runId), train, pairs.size());
            System.out.printf("read them back from the topic in %.0f s%n", (System.nanoTime() - t1) / 1e9);
            return targets;
        }
    }

    private static List<float[][]> read(KafkaSettings kafka, String topic, LabelledImages train, int pairs) {
        List<float[][]> out = new ArrayList<>();
        for (int p = 0; p < pairs; p++) {
            out.add(new float[train.size()][]);
        }
        long received = 0;
        long deadline = System.nanoTime() + READ_TIMEOUT_NANOS;
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer("fsp-students", "fsp-reader"))) {
            consumer.subscribe(List.of(topic));
            while (true) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read " + received + " of " + train.size()
                            + " FSP records from " + topic + " before the timeout, and no end record");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    FspRecord decoded = FspRecordCodec.decode(record.value());
                    if (decoded instanceof FspEndRecord end) {
                        if (received != end.samples()) {
                            throw new IllegalStateException("the FSP end record declares " + end.samples()
                                    + " samples, the topic held " + received);
                        }
                        return out;
                    }
                    FspTargetRecord target = (FspTargetRecord) decoded;
                    long id = target.sampleId();
                    if (id < 0 || id >= train.size() || out.get(0)[(int) id] != null) {
                        throw new IllegalStateException("FSP record of sample " + id + ": outside the " + train.size()
                                + " training images or seen twice");
                    }
                    if (target.label() != train.labels()[(int) id] || target.matrices().size() != pairs) {
                        throw new IllegalStateException("FSP record of sample " + id + " does not fit the training"
                                + " set: label " + target.label() + ", " + target.matrices().size() + " matrices");
                    }
                    for (int p = 0; p < pairs; p++) {
                        out.get(p)[(int) id] = target.matrices().get(p).values();
                    }
                    received++;
                }
            }
        }
    }
}
