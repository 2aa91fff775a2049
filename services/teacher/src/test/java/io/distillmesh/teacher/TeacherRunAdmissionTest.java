package io.distillmesh.teacher;

import io.distillmesh.messaging.Topics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the teacher takes runs: at once, several streaming side by side up to runs.concurrency, retries idempotent. */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class TeacherRunAdmissionTest {
    private static TeacherService teacher;

    @BeforeAll
    static void start() throws Exception {
        teacher = new TeacherService(new JsonObject().put("runs.concurrency", 2));
    }

    @AfterAll
    static void stop() throws Exception {
        teacher.close();
    }

    @Test
    void aShortRunIsAcceptedAtOnceAndFinishesWhileALongOneStreams() throws Exception {
        assertEquals(202, teacher.postRun(new JsonObject().put("runId", "long-1").put("batchSize", 64)).statusCode());
        teacher.awaitStreaming("long-1");

        long start = System.nanoTime();
        HttpResponse<Buffer> accepted = teacher.post("/runs").timeout(30_000)
                .sendJsonObject(new JsonObject().put("runId", "short-1").put("limit", 64))
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        assertTrue(seconds < 5, "accepting the short run took " + seconds + " s behind the long one");
        assertEquals("/runs/short-1", accepted.getHeader("Location"));
        assertEquals("short-1", accepted.bodyAsJsonObject().getJsonObject("spec").getString("runId"));

        teacher.awaitDone("short-1");
        assertEquals("RUNNING", teacher.run("long-1").getString("state"), "the long run streams on meanwhile");
        teacher.awaitDone("long-1");
    }

    @Test
    void runsBeyondTheLimitAreRefusedWith429AndRetryAfter() throws Exception {
        for (String id : List.of("busy-1", "busy-2")) {
            HttpResponse<Buffer> accepted = teacher.post("/runs").timeout(30_000)
                    .sendJsonObject(new JsonObject().put("runId", id).put("limit", 30_000))
                    .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        }
        HttpResponse<Buffer> refused = teacher.post("/runs").timeout(30_000)
                .sendJsonObject(new JsonObject().put("runId", "busy-3").put("limit", 10))
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        assertEquals(429, refused.statusCode(), refused.bodyAsString());
        assertTrue(Integer.parseInt(refused.getHeader("Retry-After")) >= 1, refused.getHeader("Retry-After"));
        String reason = refused.bodyAsJsonObject().getString("error");
        assertTrue(reason.contains("runs.concurrency") && reason.contains("busy-1") && reason.contains("busy-2"), reason);
        assertEquals(404, teacher.get("/runs/busy-3").statusCode(), "a refused run is not kept");

        teacher.awaitDone("busy-1");
        teacher.awaitDone("busy-2");
        assertEquals(202, teacher.postRun(new JsonObject().put("runId", "busy-3").put("limit", 10)).statusCode(),
                "taken once a slot is free");
        teacher.awaitDone("busy-3");
    }

    @Test
    void aRetriedPostWithTheSameSpecAnswersTheExistingRun() throws Exception {
        JsonObject run = new JsonObject().put("runId", "retried").put("limit", 100);
        assertEquals(202, teacher.postRun(run).statusCode());

        HttpResponse<Buffer> retry = teacher.postRun(run.copy().put("temperature", 4.0).put("epochs", 1));
        assertEquals(200, retry.statusCode(), "the defaults spelt out are the same spec: " + retry.bodyAsString());
        assertEquals("/runs/retried", retry.getHeader("Location"));
        assertEquals("retried", retry.bodyAsJsonObject().getJsonObject("spec").getString("runId"));

        teacher.awaitDone("retried");
        HttpResponse<Buffer> late = teacher.postRun(run);
        assertEquals(200, late.statusCode(), late.bodyAsString());
        assertEquals("DONE", late.bodyAsJsonObject().getString("state"));
        assertEquals(100, teacher.committedSamples(Topics.softTargets("retried")), "the run streamed once");
    }

    @Test
    void theSameIdWithAnotherSpecIsAConflictNamingWhatDiffers() throws Exception {
        assertEquals(202, teacher.postRun(new JsonObject().put("runId", "taken").put("limit", 100)).statusCode());
        HttpResponse<Buffer> conflict = teacher.postRun(new JsonObject().put("runId", "taken").put("limit", 200));
        assertEquals(409, conflict.statusCode(), conflict.bodyAsString());
        String reason = conflict.bodyAsJsonObject().getString("error");
        assertTrue(reason.contains("'taken'") && reason.contains("limit"), reason);
        teacher.awaitDone("taken");
    }
}
