package io.distillmesh.distiller;

import io.vertx.core.buffer.Buffer;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DistillerSecurityTest {
    private static final String TOKEN = "s3cret-token";
    @TempDir
    static Path work;
    private static DistillerService service;

    @BeforeAll
    static void start() throws Exception {
        service = new DistillerService(work, new JsonObject().put("auth.token", TOKEN));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void submittingAJobNeedsTheBearerToken() throws Exception {
        JsonObject impossible = new JsonObject().put("jobId", "guarded").put("imagesPerClass", 0);
        HttpResponse<Buffer> none = DistillerService.send(service.post("/jobs"), impossible);
        assertEquals(401, none.statusCode());
        assertTrue(none.bodyAsString().contains("missing bearer token"));
        HttpResponse<Buffer> wrong = DistillerService.send(service.post("/jobs").bearerTokenAuthentication("guess"), impossible);
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.bodyAsString().contains("invalid bearer token"));
        HttpResponse<Buffer> right = DistillerService.send(service.post("/jobs").bearerTokenAuthentication(TOKEN), impossible);
        assertEquals(400, right.statusCode(), "past the guard, the spec is validated: " + right.bodyAsString());
        assertEquals(200, service.get("/jobs").statusCode(), "reading needs no token");
        assertEquals(200, service.get("/health").statusCode());
    }

    @Test
    void cancellingNeedsTheBearerTokenToo() throws Exception {
        assertEquals(401, DistillerService.send(service.post("/jobs/any/cancel")).statusCode());
        assertEquals(401, service.delete("/jobs/any").statusCode());
        assertEquals(404, DistillerService.send(service.post("/jobs/any/cancel").bearerTokenAuthentication(TOKEN))
                .statusCode(), "past the guard, an unknown job is 404");
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        HttpResponse<Buffer> big = service.post("/jobs").bearerTokenAuthentication(TOKEN)
                .sendBuffer(Buffer.buffer("{\"jobId\":\"" + "x".repeat(100_000) + "\"}"))
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        assertEquals(413, big.statusCode());
    }
}
