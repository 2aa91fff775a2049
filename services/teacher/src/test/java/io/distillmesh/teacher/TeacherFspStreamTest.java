package io.distillmesh.teacher;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.fsp.FspMatrix;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.FspEndRecord;
import io.distillmesh.messaging.records.FspRecordCodec;
import io.distillmesh.messaging.records.FspTargetRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TeacherFspStreamTest {
    private static TeacherService teacher;
    private static ComputationGraph resnet;

    @BeforeAll
    static void start() throws Exception {
        resnet = ModelZoo.resnetClassifier(ResNetSpec.of(4, new int[]{2, 2, 2}, new int[]{4, 8, 8}));
        teacher = TeacherService.withModels(dir -> ModelSerializer.writeModel(resnet, dir.resolve("tiny-resnet.zip").toFile(),
                false));
    }

    @AfterAll
    static void stop() throws Exception {
        teacher.close();
    }

    @Test
    void aResidualTeacherStreamsEachSamplesFspMatricesBesideItsSoftTargets() throws Exception {
        JsonObject run = new JsonObject().put("runId", "fsp-run").put("model", "tiny-resnet.zip").put("limit", 150)
                .put("epochs", 1).put("batchSize", 64).put("fspPairs", new JsonArray()
                        .add(new JsonArray().add("stem").add("stage1")).add(new JsonArray().add("s2b0_conv1").add("stage2")));
        HttpResponse<Buffer> created = teacher.postRun(run);
        assertEquals(202, created.statusCode(), created.bodyAsString());
        teacher.awaitDone("fsp-run");

        List<byte[]> values = teacher.readAll(Topics.fsp("fsp-run"));
        assertEquals(151, values.size());
        assertEquals(new FspEndRecord(1, 150), FspRecordCodec.decode(values.get(150)));
        LabelledImages train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        Set<Long> ids = new HashSet<>();
        for (byte[] value : values.subList(0, 150)) {
            FspTargetRecord r = assertInstanceOf(FspTargetRecord.class, FspRecordCodec.decode(value));
            ids.add(r.sampleId());
            assertEquals(train.labels()[(int) r.sampleId()], r.label());
            assertArrayEquals(train.image((int) r.sampleId()), r.input());
            assertEquals(4, r.matrices().get(0).rows());
            assertEquals(8, r.matrices().get(1).cols());
        }
        assertEquals(150, ids.size(), "each sample once");
        FspTargetRecord first = (FspTargetRecord) FspRecordCodec.decode(values.get(0));
        Map<String, INDArray> maps = resnet.feedForward(train.features(new int[]{(int) first.sampleId()}), false);
        float[] expected = FspMatrix.compute(maps.get("s2b0_conv1"), maps.get("stage2")).data().asFloat();
        assertArrayEquals(expected, first.matrices().get(1).values(), 1e-5f);
        assertEquals(150, teacher.committedSamples(Topics.softTargets("fsp-run")), "soft targets are streamed as before");
    }

    @Test
    void fspRunsThatCannotWorkGet400WithTheReason() throws Exception {
        JsonArray stage1 = new JsonArray().add(new JsonArray().add("stem").add("stage1"));
        teacher.assertBadRequest(new JsonObject().put("runId", "f1").put("model", "teacher-cnn.zip")
                .put("fspPairs", stage1), "need a residual teacher");
        teacher.assertBadRequest(new JsonObject().put("runId", "f2").put("model", "tiny-resnet.zip")
                        .put("fspPairs", new JsonArray().add(new JsonArray().add("stem").add("dense9"))),
                "has no layer 'dense9'");
        teacher.assertBadRequest(new JsonObject().put("runId", "f3").put("model", "tiny-resnet.zip")
                .put("fspPairs", new JsonArray().add(new JsonArray().add("stem").add("stage2"))), "equal spatial size");
        teacher.assertBadRequest(new JsonObject().put("runId", "f4").put("model", "tiny-resnet.zip")
                .put("fspPairs", new JsonArray().add("stem")), "[first, second]");
        teacher.assertBadRequest(new JsonObject().put("runId", "f5").put("model", "tiny-resnet.zip")
                .put("fspPairs", "stages"), "fspPairs must be an array");
    }
}
