package io.distillmesh.student;

import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.fsp.FspMatrix;
import io.distillmesh.core.fsp.FspPair;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.records.FspEndRecord;
import io.distillmesh.messaging.records.FspRecordCodec;
import io.distillmesh.messaging.records.FspTargetRecord;
import io.distillmesh.teacher.RunSpec;
import io.distillmesh.teacher.RunStatus;
import io.distillmesh.teacher.TeacherRunStreamer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.MINUTES)
class FspStudentTest {
    private static final int[] WIDTHS = {4, 8, 8};
    private static final List<FspPair> PAIRS = List.of(new FspPair("stem", "stage1"), new FspPair("s2b0_conv1", "stage2"));
    private static final int SAMPLES = 200;
    private static EmbeddedKafkaBroker broker;
    private static Producer<String, byte[]> producer;
    private static ResidualTeacher teacher;

    @BeforeAll
    static void start() {
        broker = EmbeddedKafkaBroker.start();
        broker.createTopic(Topics.DEAD_LETTERS, 1, Map.of());
        producer = new KafkaProducer<>(RunFixture.kafka(broker).producer("test"));
        teacher = new ResidualTeacher(ModelZoo.resnetClassifier(ResNetSpec.of(21, new int[]{2, 2, 2}, WIDTHS)), "tiny-resnet");
    }

    @AfterAll
    static void stop() {
        producer.close();
        broker.close();
    }

    @Test
    void aLateStudentReplaysTheFspTopicLowersItsFspLossThenTrainsOnTheSoftTargets(@TempDir Path dir) throws Exception {
        String fspTopic = Topics.fsp("fsp-late");
        broker.createTopic(fspTopic, 1, Map.of("retention.ms", "-1"));
        producer.send(new ProducerRecord<>(fspTopic, "junk", "hello".getBytes(StandardCharsets.UTF_8))).get();
        producer.send(new ProducerRecord<>(fspTopic, "wrong-shape", FspRecordCodec.encode(new FspTargetRecord(1, 0, 1,
                "t", new float[784], List.of(new FspTargetRecord.Matrix(2, 2, new float[4])))))).get();
        stream("fsp-late");

        MeterRegistry registry = new SimpleMeterRegistry();
        StudentSpec spec = spec("fsp-student", "fsp-late", null);
        AtomicReference<ComputationGraph> afterStageOne = new AtomicReference<>();
        StudentTrainingLoop loop = new StudentTrainingLoop(spec, RunFixture.kafka(broker),
                new CheckpointStore(dir.resolve("fsp-student")), new DeadLetterPublisher(producer, registry, "student"),
                registry, StudentTrainingLoop.TrainedBatchListener.NONE);
        loop.onCheckpoint((model, checkpoint) -> {
            if (checkpoint.stage() == Checkpoint.FSP_DONE) {
                afterStageOne.set(((ComputationGraph) checkpoint.network()).clone());
            }
        });
        loop.run();
        assertEquals(StudentTrainingLoop.State.DONE, loop.state(), loop.error());
        assertEquals(io.distillmesh.core.engine.TrainingStep.ENGINE_GRAPH, loop.trainingPath(),
                "stage 2 trains the residual student through the engine");
        assertEquals(SAMPLES, loop.samplesTrained(), "stage 2: one pass over the soft-target stream");
        assertEquals(2.0, registry.get("dm.dead.letters").counter().count(), "junk and the wrong-shape record");
        assertNotNull(afterStageOne.get(), "stage 1 ends with a checkpoint");

        ComputationGraph fresh = ModelZoo.resnetClassifier(spec.resnet());
        double before = fspDistance(fresh);
        double after = fspDistance(afterStageOne.get());
        assertTrue(after < 0.7 * before, "FSP distance to the teacher " + before + " -> " + after);

        CheckpointStore store = new CheckpointStore(dir.resolve("fsp-student"));
        Checkpoint last = store.latest(spec).orElseThrow();
        assertInstanceOf(ComputationGraph.class, last.network());
        assertEquals(Checkpoint.TASK, last.stage());
        assertEquals(SAMPLES, last.samplesTrained());
    }

    @Test
    void anFspEndRecordBeforeTheSamplesItDeclaresIsDeadLetteredAndStageOneReadsOnToTheRealEnd(@TempDir Path dir)
            throws Exception {
        broker.createTopic(Topics.fsp("fsp-clean"), 1, Map.of("retention.ms", "-1"));
        stream("fsp-clean");
        int early = 80;
        FaultyStream.copy(broker, Topics.fsp("fsp-clean"), Topics.fsp("fsp-early"),
                Map.of(early, FspRecordCodec.encode(new FspEndRecord(1, SAMPLES))));
        FaultyStream.copy(broker, Topics.softTargets("fsp-clean"), Topics.softTargets("fsp-early"), Map.of());

        MeterRegistry registry = new SimpleMeterRegistry();
        StudentSpec spec = spec("fsp-early-student", "fsp-early", null);
        StudentTrainingLoop loop = new StudentTrainingLoop(spec, RunFixture.kafka(broker),
                new CheckpointStore(dir.resolve("fsp-early-student")), new DeadLetterPublisher(producer, registry,
                "student"), registry, StudentTrainingLoop.TrainedBatchListener.NONE);
        loop.run();
        assertEquals(StudentTrainingLoop.State.DONE, loop.state(), loop.error());
        assertEquals((spec.fsp().epochs() + 1) * SAMPLES, registry.get("dm.student.records.consumed").counter().count(),
                "every FSP pass reads all samples, then the soft-target pass");
        assertEquals(1.0, registry.get("dm.dead.letters").counter().count(), "the early end, once");
        producer.flush();
        String reason = FaultyStream.deadLetters(broker, Topics.fsp("fsp-early")).get("injected-" + early);
        assertTrue(reason.matches(".*fsp-early.*declares " + SAMPLES + ".*read " + early + ".*"), reason);
    }

    @Test
    void fspSpecsThatCannotWorkAreRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudentSpec.fromJson(
                spec("s", "r", null).toJson().put("architecture", "mlp")));
        assertTrue(e.getMessage().contains("needs architecture resnet"), e.getMessage());
        JsonObject badPair = spec("s", "r", null).toJson();
        badPair.getJsonObject("fsp").put("pairs", new JsonArray().add(new JsonArray().add("stem").add("stage2")));
        e = assertThrows(IllegalArgumentException.class, () -> StudentSpec.fromJson(badPair));
        assertTrue(e.getMessage().contains("different sizes"), e.getMessage());
        StudentSpec shuffled = spec("s", "r", 5L);
        assertEquals(shuffled, StudentSpec.fromJson(shuffled.toJson()), "the spec survives its JSON form");
    }

    private static void stream(String runId) {
        broker.createTopic(Topics.softTargets(runId), 1, Map.of("retention.ms", "-1"));
        RunSpec run = new RunSpec(runId, "tiny-resnet.zip", "fashion-mnist", "train", 4.0, 1, 100, SAMPLES,
                Integer.MAX_VALUE, 7, PAIRS);
        RunStatus status = new RunStatus(run, SAMPLES);
        try (Producer<String, byte[]> p = new KafkaProducer<>(RunFixture.kafka(broker).producer("test-teacher"))) {
            new TeacherRunStreamer(teacher, RunFixture.train(), status, p, new SimpleMeterRegistry()).run();
        }
        assertEquals(RunStatus.State.DONE, status.state(), status.toJson().encode());
    }

    /** Mean squared distance between the student's and the teacher's FSP matrices on the streamed images. */
    private static double fspDistance(ComputationGraph student) {
        LabelledImages train = RunFixture.train().head(SAMPLES);
        int[] ids = new int[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            ids[i] = i;
        }
        INDArray x = train.features(ids);
        List<INDArray> target = teacher.forward(x, 1.0, PAIRS).fspMatrices();
        Map<String, INDArray> maps = student.feedForward(x, false);
        double total = 0;
        for (int p = 0; p < PAIRS.size(); p++) {
            INDArray g = FspMatrix.compute(maps.get(PAIRS.get(p).first()), maps.get(PAIRS.get(p).second()));
            total += g.subi(target.get(p)).norm2Number().doubleValue();
        }
        return total;
    }

    private static StudentSpec spec(String id, String run, Long permutationSeed) {
        JsonObject fsp = new JsonObject().put("epochs", 3).put("lambda", 1.0).put("pairs", new JsonArray(
                PAIRS.stream().map(p -> new JsonArray().add(p.first()).add(p.second())).toList()));
        if (permutationSeed != null) {
            fsp.put("permutationSeed", permutationSeed);
        }
        return StudentSpec.fromJson(new JsonObject().put("studentId", id).put("runId", run).put("architecture", "resnet")
                .put("blocks", new JsonArray().add(1).add(1).add(1))
                .put("widths", new JsonArray().add(WIDTHS[0]).add(WIDTHS[1]).add(WIDTHS[2]))
                .put("learningRate", 0.003).put("alpha", 0.5).put("temperature", 4.0).put("epochs", 1)
                .put("batchSize", 25).put("checkpointEveryBatches", 4).put("seed", 9).put("fsp", fsp));
    }
}
