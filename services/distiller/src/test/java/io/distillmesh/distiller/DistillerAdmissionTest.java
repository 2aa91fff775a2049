package io.distillmesh.distiller;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Specs the worker cannot hold, sent over HTTP to a distiller with a real broker: each gets 400 naming the field
 * and its bound before any work starts, and no job exists afterwards.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DistillerAdmissionTest {
    @TempDir
    static Path work;
    private static DistillerService service;

    @BeforeAll
    static void start() throws Exception {
        service = new DistillerService(work, new JsonObject());
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void iterationsBeyondTheBoundAreRefused() throws Exception {
        assertRefused(tinyJob("max-int-iterations").put("iterations", Integer.MAX_VALUE),
                "iterations must be at most 1000000, got 2147483647");
        assertRefused(tinyJob("200m-iterations").put("iterations", 200_000_000),
                "iterations must be at most 1000000, got 200000000");
    }

    @Test
    void thirtyThousandHiddenLayersAreRefused() throws Exception {
        JsonArray layers = new JsonArray();
        for (int i = 0; i < 30_000; i++) {
            layers.add(1);
        }
        assertRefused(tinyJob("deep").put("hidden", layers), "hidden has 30000 layers, at most 16");
    }

    @Test
    void widthsWhoseParameterCountOverflowsAreRefused() throws Exception {
        JsonArray widths = new JsonArray().add(Integer.MAX_VALUE).add(Integer.MAX_VALUE).add(Integer.MAX_VALUE);
        assertRefused(tinyJob("wide").put("hidden", widths), "hidden widths must be at most 65536, got 2147483647");
    }

    @Test
    void aHugeImagesPerClassIsRefusedWithTheCountAsSent() throws Exception {
        String error = assertRefused(tinyJob("many-images").put("imagesPerClass", Integer.MAX_VALUE),
                "imagesPerClass must be at most 6000");
        assertTrue(error.contains("got 2147483647"), error);
        assertFalse(error.contains("-10"), error);
    }

    @Test
    void moreRealImagesThanTheTrainingSetHasAreRefused() throws Exception {
        assertRefused(tinyJob("real-init").put("imageInit", "real").put("imagesPerClass", 1000).put("steps", 10),
                "imageInit real needs steps × imagesPerClass = 10·1000 = 10000 real images of each class");
    }

    @Test
    void aJobEstimatedAtMoreThanADayIsRefused() throws Exception {
        assertRefused(new JsonObject().put("jobId", "too-long").put("network", "lenet").put("steps", 100)
                .put("epochs", 10).put("iterations", 1_000_000), "more than the 24 h a job may take");
    }

    @Test
    void anInnerStepTooLongToCancelIsRefused() throws Exception {
        assertRefused(tinyJob("slow-step").put("hidden", new JsonArray().add(20_000)).put("imagesPerClass", 600)
                .put("steps", 1).put("realBatch", 16), "more than the 10 s a cancel may wait");
    }

    /** An MLP job that would take seconds: what each test pushes past one bound. */
    private static JsonObject tinyJob(String id) {
        return DistillerVerticleTest.tinyJob(id, 3);
    }

    private static String assertRefused(JsonObject body, String reason) throws Exception {
        HttpResponse<Buffer> response = DistillerService.send(service.post("/jobs"), body);
        String id = body.getString("jobId");
        if (response.statusCode() == 202) {
            DistillerService.send(service.post("/jobs/" + id + "/cancel"));
        }
        assertEquals(400, response.statusCode(), response.bodyAsString());
        String error = response.bodyAsJsonObject().getString("error");
        assertTrue(error.contains(reason), "expected '" + reason + "' in: " + error);
        assertEquals(404, service.get("/jobs/" + id).statusCode(), "no job was created");
        return error;
    }
}
