package io.distillmesh.distiller;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cancel that arrives inside a long meta-iteration (LeNet unrolled over 900 inner steps: half a minute per
 * iteration on a quiet 2-core machine, minutes on a busy one) stops the running job within seconds, the job ends
 * CANCELLED without finishing that iteration, and the job queued behind it runs.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DistillerCancelTest {
    private static final long CANCEL_WITHIN_SECONDS = 10;
    @TempDir
    static Path work;
    private static DistillerService service;

    @BeforeAll
    static void start() throws Exception {
        service = new DistillerService(work, new JsonObject().put("progress.interval-ms", 0));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aCancelInsideAnIterationStopsTheJobWithinSecondsAndTheNextJobRuns() throws Exception {
        assertEquals(202, DistillerService.send(service.post("/jobs"), DistillerVerticleTest.tinyJob("warm-up", 1))
                .statusCode());
        awaitJob("warm-up", j -> j.getString("state").equals("SUCCEEDED"), 120);
        JsonObject longIterations = new JsonObject().put("jobId", "long-iterations").put("network", "lenet")
                .put("imagesPerClass", 1).put("steps", 30).put("epochs", 30).put("iterations", 50)
                .put("realBatch", 256).put("seed", 3);
        HttpResponse<Buffer> created = DistillerService.send(service.post("/jobs"), longIterations);
        assertEquals(202, created.statusCode(), created.bodyAsString());
        assertEquals(202, DistillerService.send(service.post("/jobs"), DistillerVerticleTest.tinyJob("next", 2))
                .statusCode());
        awaitJob("long-iterations", j -> j.getString("state").equals("RUNNING"), 60);
        Thread.sleep(5_000);
        JsonObject beforeCancel = service.get("/jobs/long-iterations").bodyAsJsonObject();
        assertEquals(0, beforeCancel.getInteger("iteration"), "still inside the first iteration: " + beforeCancel.encode());
        assertEquals("QUEUED", service.get("/jobs/next").bodyAsJsonObject().getString("state"));

        long asked = System.nanoTime();
        HttpResponse<Buffer> cancel = DistillerService.send(service.post("/jobs/long-iterations/cancel"));
        assertEquals(202, cancel.statusCode(), cancel.bodyAsString());
        JsonObject cancelled = awaitJob("long-iterations", j -> JobState.valueOf(j.getString("state")).finished(),
                CANCEL_WITHIN_SECONDS);
        double seconds = (System.nanoTime() - asked) / 1e9;
        assertEquals("CANCELLED", cancelled.getString("state"), cancelled.encode());
        assertEquals(0, cancelled.getInteger("iteration"), "the first iteration was not finished: " + cancelled.encode());
        assertTrue(seconds < CANCEL_WITHIN_SECONDS, "cancelled after " + seconds + " s");
        assertFalse(Files.exists(work.resolve("artifacts").resolve("long-iterations.dmds")));
        List<DistillProgressRecord> progress = TopicReader.readAll(service.broker.bootstrapServers(),
                Topics.DISTILL_PROGRESS, "long-iterations", DistillProgressRecord::decode);
        assertEquals(List.of("QUEUED", "RUNNING", "CANCELLED"), progress.stream().map(DistillProgressRecord::state).toList());

        JsonObject next = awaitJob("next", j -> JobState.valueOf(j.getString("state")).finished(), 120);
        assertEquals("SUCCEEDED", next.getString("state"), next.encode());
        assertTrue(service.get("/metrics").bodyAsString().contains("dm_distiller_jobs_finished_total{state=\"CANCELLED\"} 1.0"));
    }

    private static JsonObject awaitJob(String id, Predicate<JsonObject> condition, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonObject job;
        do {
            job = service.get("/jobs/" + id).bodyAsJsonObject();
            if (condition.test(job)) {
                return job;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("job " + id + " did not get there within " + seconds + " s: " + job.encode());
    }
}
