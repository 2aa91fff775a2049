package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.RunEndRecord;
import io.distillmesh.messaging.records.RunRecord;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.distillmesh.messaging.records.SoftTargetBatchRecord;
import io.distillmesh.messaging.records.SoftTargetRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TeacherVerticleTest {
    private static TeacherService teacher;

    @BeforeAll
    static void start() throws Exception {
        teacher = new TeacherService(new JsonObject());
    }

    @AfterAll
    static void stop() throws Exception {
        teacher.close();
    }

    @Test
    void badRunRequestsGet400WithTheReason() throws Exception {
        teacher.assertBadRequest(new JsonObject().put("runId", "r1").put("temperature", 0), "temperature must be > 0");
        teacher.assertBadRequest(new JsonObject().put("runId", "r1").put("temperature", -2), "temperature must be > 0");
        teacher.assertBadRequest(new JsonObject().put("runId", "r1").put("dataset", "imagenet"),
                "unknown data set 'imagenet'");
        teacher.assertBadRequest(new JsonObject().put("runId", "r1").put("model", "absent.zip"),
                "teacher model file not found");
        teacher.assertBadRequest(new JsonObject().put("runId", "r1").put("model", "../../etc/passwd"),
                "model must be a file name");
        teacher.assertBadRequest(new JsonObject().put("runId", "bad id!"), "run id must be");
        teacher.assertBadRequest(new JsonObject().put("runId", "r1").put("tempreature", 2),
                "unknown field 'tempreature'");
        HttpResponse<Buffer> notJson = teacher.post("/runs").sendBuffer(Buffer.buffer("{nope"))
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(400, notJson.statusCode());
        assertEquals(404, teacher.get("/runs/nope").statusCode());
    }

    @Test
    void streamsPiecesInRecordsOfAtMostSamplesPerRecordWithTeacherLogProbsAndEndsTheRun() throws Exception {
        JsonObject run = new JsonObject().put("runId", "stream-test").put("temperature", 4.0).put("limit", 300)
                .put("epochs", 2).put("labelled", 100).put("batchSize", 128).put("samplesPerRecord", 100);
        HttpResponse<Buffer> created = teacher.postRun(run);
        assertEquals(202, created.statusCode(), created.bodyAsString());
        JsonObject status = teacher.awaitDone("stream-test");
        assertEquals(600, status.getLong("produced"));

        List<RunRecord> records = teacher.readAll(Topics.softTargets("stream-test")).stream()
                .map(RunRecordCodec::decode).toList();
        // each epoch's pieces of 128, 128 and 44 samples in records of 100, 28, 100, 28 and 44 (the work loops
        // stream pieces side by side)
        assertEquals(11, records.size());
        assertEquals(new RunEndRecord(2, 600, 10), records.get(10));
        assertEquals(List.of(28, 28, 28, 28, 44, 44, 100, 100, 100, 100), records.subList(0, 10).stream()
                .map(r -> assertInstanceOf(SoftTargetBatchRecord.class, r).size()).sorted().toList());
        List<SoftTargetRecord> samples = records.subList(0, 10).stream()
                .flatMap(r -> ((SoftTargetBatchRecord) r).samples().stream()).toList();
        Set<Long> epoch0 = new HashSet<>();
        Set<Long> labelled = new HashSet<>();
        for (SoftTargetRecord s : samples) {
            assertEquals(4f, s.temperature());
            assertEquals(784, s.input().length);
            double total = 0;
            for (float lp : s.logProbs()) {
                total += Math.exp(lp);
            }
            assertEquals(1.0, total, 1e-4);
            if (s.epoch() == 0) {
                epoch0.add(s.sampleId());
            }
            if (s.labelled()) {
                labelled.add(s.sampleId());
            }
        }
        assertEquals(300, epoch0.size(), "each sample once per epoch");
        assertEquals(100, labelled.size(), "only the labelled subset carries labels");
    }
}
