package io.distillmesh.student;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.model.ResidualNetworks;
import io.distillmesh.core.specialist.ClassReduction;
import io.distillmesh.core.specialist.SpecialistSampling;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A specialist is one more student consumer of the generalist's stream: it trains on its group and the sampled
 * rest (nothing else), over its classes plus a dustbin, starting from the generalist.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SpecialistStudentTest {
    private static final int[] UPPER_BODY = {0, 2, 4, 6};

    @Test
    void aSpecialistTrainsOnItsGroupAndTheSampledRestOfTheGeneralistsStreamAndLearnsItsReducedTask(@TempDir Path dir) {
        int samples = 1500;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             Producer<String, byte[]> producer = new KafkaProducer<>(RunFixture.kafka(broker).producer("test"))) {
            broker.createTopic(Topics.DEAD_LETTERS, 1, Map.of());
            RunFixture.stream(broker, "generalist-run", samples, 1, samples);
            StudentSpec spec = specialist("upper-body", 0.7);
            Set<Long> trained = new HashSet<>();
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            StudentTrainingLoop loop = new StudentTrainingLoop(spec, RunFixture.kafka(broker),
                    new CheckpointStore(dir.resolve("upper-body")), new DeadLetterPublisher(producer, registry, "student"),
                    registry, (pass, ids) -> {
                        for (long id : ids) {
                            trained.add(id);
                        }
                    });
            loop.run();
            assertEquals(StudentTrainingLoop.State.DONE, loop.state(), String.valueOf(loop.error()));

            LabelledImages train = RunFixture.train();
            SpecialistSampling sampling = spec.specialist().sampling();
            ClassReduction reduction = spec.specialist().reduction();
            long group = 0;
            long rest = 0;
            for (long id : trained) {
                int label = train.labels()[(int) id];
                assertTrue(sampling.keeps(id, label), "sample " + id + " of class " + label + " is not the specialist's");
                if (reduction.covers(label)) {
                    group++;
                } else {
                    rest++;
                }
            }
            assertEquals(loop.samplesTrained(), trained.size(), "each kept sample once");
            assertTrue(group > samples * 0.35 && rest > samples * 0.25 && rest < group * 1.3,
                    "about half group, half rest: " + group + " / " + rest);

            MultiLayerNetwork net = (MultiLayerNetwork) loop.trainer().network();
            LabelledImages test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(2000);
            int[] ids = IntStream.range(0, test.size()).toArray();
            INDArray predicted = net.output(test.features(ids), false).argMax(1);
            assertEquals(5, net.output(test.features(new int[]{0}), false).size(1), "4 classes + dustbin");
            int correct = 0;
            for (int i = 0; i < ids.length; i++) {
                correct += predicted.getInt(i) == reduction.reducedClass(test.labels()[i]) ? 1 : 0;
            }
            assertTrue(correct / (double) ids.length > 0.75, "reduced-task accuracy " + correct / (double) ids.length);
        }
    }

    @Test
    void aResidualGeneralistGivesAResidualSpecialistThatTheEngineTrainsAndCheckpointsAsAGraph(@TempDir Path dir) {
        int samples = 400;
        Path resnet = Path.of("../../models/teacher-resnet8-bn.zip").toAbsolutePath().normalize();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             Producer<String, byte[]> producer = new KafkaProducer<>(RunFixture.kafka(broker).producer("test"))) {
            broker.createTopic(Topics.DEAD_LETTERS, 1, Map.of());
            RunFixture.stream(broker, "generalist-run", samples, 1, samples);
            StudentSpec spec = StudentSpec.fromJson(specialist("upper-body-resnet", 0.7).toJson()
                    .put("generalist", resnet.toString()));
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            CheckpointStore store = new CheckpointStore(dir.resolve("upper-body-resnet"));
            StudentTrainingLoop loop = new StudentTrainingLoop(spec, RunFixture.kafka(broker), store,
                    new DeadLetterPublisher(producer, registry, "student"), registry,
                    StudentTrainingLoop.TrainedBatchListener.NONE);
            loop.run();
            assertEquals(StudentTrainingLoop.State.DONE, loop.state(), String.valueOf(loop.error()));
            assertEquals(TrainingStep.ENGINE_GRAPH, loop.trainer().trainingPath());
            assertTrue(loop.samplesTrained() > samples / 4, "trained " + loop.samplesTrained());
            ComputationGraph restored = (ComputationGraph) store.latest(spec).orElseThrow().network();
            assertEquals(5, restored.getLayer(ResidualNetworks.OUTPUT).getParam("b").length(), "4 classes + dustbin");
            assertEquals(((ComputationGraph) loop.trainer().network()).params(), restored.params());
        }
    }

    @Test
    void aSpecialistSpecNeedsItsClassesAndTheGeneralistAndNoNetworkOfItsOwn() {
        StudentSpec spec = specialist("s", 0.5);
        assertEquals(spec, StudentSpec.fromJson(spec.toJson()));
        JsonObject json = spec.toJson();
        assertThrows(IllegalArgumentException.class, () -> StudentSpec.fromJson(json.copy().put("hidden", new JsonArray().add(8))));
        assertThrows(IllegalArgumentException.class, () -> StudentSpec.fromJson(json.copy().put("classes", new JsonArray())));
        assertThrows(IllegalArgumentException.class, () -> StudentSpec.fromJson(json.copy().put("classes",
                new JsonArray().add(3).add(3))));
        assertThrows(IllegalArgumentException.class, () -> StudentSpec.fromJson(json.copy().put("generalist", " ")));
        JsonObject config = StudentVerticle.DEFAULTS.copy().put("student.architecture", "specialist")
                .put("student.specialist-classes", "0,2,4,6").put("student.generalist", RunFixture.TEACHER.toString());
        assertEquals(4, StudentSettings.specFrom(config).specialist().classes().length);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> StudentSettings.specFrom(config.copy().put("student.generalist", "")));
        assertTrue(missing.getMessage().contains("student.generalist"), missing.getMessage());
    }

    private static StudentSpec specialist(String id, double alpha) {
        return StudentSpec.fromJson(new JsonObject().put("studentId", id).put("runId", "generalist-run")
                .put("architecture", "specialist").put("classes", new JsonArray().add(0).add(2).add(4).add(6))
                .put("generalist", RunFixture.TEACHER.toString()).put("alpha", alpha).put("temperature", 4.0)
                .put("epochs", 1).put("batchSize", 32).put("checkpointEveryBatches", 20).put("seed", 5)
                .put("learningRate", 5e-4));
    }
}
