package io.distillmesh.distiller;

import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With progress.interval-ms longer than a job, none of its iterations gets a record of its own (the RUNNING
 * record started the interval); every state change does, and the last carries the final iteration.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DistillerProgressThrottleTest {
    @TempDir
    static Path work;
    private static DistillerService service;

    @BeforeAll
    static void start() throws Exception {
        service = new DistillerService(work, new JsonObject().put("progress.interval-ms", 3_600_000));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void iterationRecordsAreThrottledAndStateChangesAreNot() throws Exception {
        assertEquals(202, DistillerService.send(service.post("/jobs"), DistillerVerticleTest.tinyJob("throttled", 5))
                .statusCode());
        JsonObject done = awaitSucceeded();
        assertEquals(5, done.getInteger("iteration"));
        List<DistillProgressRecord> progress = TopicReader.readAll(service.broker.bootstrapServers(),
                Topics.DISTILL_PROGRESS, "throttled", DistillProgressRecord::decode);
        assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED"), progress.stream().map(DistillProgressRecord::state).toList());
        assertEquals(List.of(0, 0, 5), progress.stream().map(DistillProgressRecord::iteration).toList());
    }

    private static JsonObject awaitSucceeded() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            JsonObject job = service.get("/jobs/throttled").bodyAsJsonObject();
            if (JobState.valueOf(job.getString("state")).finished()) {
                assertEquals("SUCCEEDED", job.getString("state"), job.encode());
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the job did not finish");
    }
}
