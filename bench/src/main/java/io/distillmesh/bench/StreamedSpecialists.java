package io.distillmesh.bench;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.specialist.Generalist;
import io.distillmesh.core.specialist.Specialist;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.student.CheckpointStore;
import io.distillmesh.student.StudentSpec;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.teacher.RunSpec;
import io.distillmesh.teacher.RunStatus;
import io.distillmesh.teacher.TeacherRunStreamer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.commons.io.FileUtils;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Specialists trained the way the mesh trains them: the generalist streams its soft targets for the training images
 * to a real (embedded) Kafka broker once, and every specialist is an independent student consumer of that one
 * stream (its own consumer group and thread, as it would be its own pod), keeping its group and the sampled rest.
 * A group may have several specialists, each with its own seed (sampling of the rest, order, dustbin layer).
 */
final class StreamedSpecialists {
    private final Path generalistFile;
    private final int samples;
    private final int epochs;
    private final int batch;
    private final double temperature;
    private final double alpha;
    private final double learningRate;
    private final long[] seeds;

    StreamedSpecialists(Path generalistFile, int samples, int epochs, int batch, double temperature, double alpha,
                        double learningRate, long[] seeds) {
        this.generalistFile = generalistFile;
        this.samples = samples;
        this.epochs = epochs;
        this.batch = batch;
        this.temperature = temperature;
        this.alpha = alpha;
        this.learningRate = learningRate;
        this.seeds = seeds.clone();
    }

    /** For every group, one specialist per seed, group by group. */
    List<Specialist> train(Generalist generalist, LabelledImages train, List<int[]> groups) throws Exception {
        Path work = Files.createTempDirectory("streamed-specialists-");
        try (TemporaryFolder ignored = () -> FileUtils.deleteDirectory(work.toFile());
             EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(work.resolve("kafka"))) {
            KafkaSettings kafka = new KafkaSettings(broker.bootstrapServers(), Map.of());
            broker.createTopic(Topics.DEAD_LETTERS, 1, Map.of());
            String runId = "generalist";
            broker.createTopic(Topics.softTargets(runId), 1, Map.of("retention.ms", "-1"));
            RunSpec run = new RunSpec(runId, generalistFile.getFileName().toString(), "fashion-mnist", "train",
                    temperature, 1, 256, samples, samples, seeds[0]);
            RunStatus status = new RunStatus(run, samples);
            long t0 = System.nanoTime();
            try (Producer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("generalist"))) {
                streamer(generalist, train, status, producer).run();
            }
            if (status.state() != RunStatus.State.DONE) {
                throw new IllegalStateException("the generalist's run failed: " + status.toJson().encode());
            }
            System.out.printf("generalist streamed %d samples at T=%s to %s in %.0f s%n", status.produced(), temperature,
                    Topics.softTargets(runId), (System.nanoTime() - t0) / 1e9);
            try (Producer<String, byte[]> deadLetters = new KafkaProducer<>(kafka.producer("specialists"))) {
                List<StudentTrainingLoop> loops = new ArrayList<>();
                List<Thread> threads = new ArrayList<>();
                for (int[] group : groups) {
                    for (long seed : seeds) {
                        SimpleMeterRegistry registry = new SimpleMeterRegistry();
                        StudentSpec spec = spec(runId, group, seed);
                        StudentTrainingLoop loop = new StudentTrainingLoop(spec, kafka,
                                new CheckpointStore(work.resolve(spec.studentId())),
                                new DeadLetterPublisher(deadLetters, registry, "student"), registry,
                                StudentTrainingLoop.TrainedBatchListener.NONE);
                        loops.add(loop);
                        threads.add(new Thread(loop, spec.studentId()));
                    }
                }
                long t1 = System.nanoTime();
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
                List<Specialist> specialists = new ArrayList<>();
                for (int i = 0; i < loops.size(); i++) {
                    StudentTrainingLoop loop = loops.get(i);
                    if (loop.state() != StudentTrainingLoop.State.DONE) {
                        throw new IllegalStateException(loop.spec().studentId() + " failed: " + loop.error());
                    }
                    System.out.printf("specialist %s: %d samples of the stream trained%n", loop.spec().studentId(),
                            loop.samplesTrained());
                    specialists.add(new Specialist(loop.spec().specialist().classes(), loop.trainer().network()));
                }
                System.out.printf("%d specialists trained side by side on the stream in %.0f s%n", loops.size(),
                        (System.nanoTime() - t1) / 1e9);
                return specialists;
            }
        }
    }

    private static TeacherRunStreamer streamer(Generalist generalist, LabelledImages train, RunStatus status,
                                               Producer<String, byte[]> producer) {
        if (generalist.network() instanceof ComputationGraph graph) {
            return new TeacherRunStreamer(new ResidualTeacher(graph, generalist.id()), train, status, producer,
                    new SimpleMeterRegistry());
        }
        return new TeacherRunStreamer(new TeacherModel((MultiLayerNetwork) generalist.network(), generalist.id()), train,
                status, producer, new SimpleMeterRegistry());
    }

    private StudentSpec spec(String runId, int[] group, long seed) {
        String id = "specialist-" + String.join("-", Arrays.stream(group).mapToObj(Integer::toString).toList())
                + "-seed" + seed;
        return StudentSpec.fromJson(new JsonObject().put("studentId", id).put("runId", runId)
                .put("architecture", "specialist").put("classes", new JsonArray(Arrays.stream(group).boxed().toList()))
                .put("generalist", generalistFile.toAbsolutePath().toString()).put("temperature", temperature)
                .put("alpha", alpha).put("epochs", epochs).put("batchSize", batch).put("learningRate", learningRate)
                .put("seed", seed).put("checkpointEveryBatches", 1_000_000));
    }
}
