package io.distillmesh.teacher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TeacherSecurityTest {
    private static TeacherService teacher;

    @BeforeAll
    static void start() throws Exception {
        teacher = new TeacherService(new JsonObject().put("auth.token", "s3cret-token"));
    }

    @AfterAll
    static void stop() throws Exception {
        teacher.close();
    }

    @Test
    void startingARunNeedsTheBearerToken() throws Exception {
        JsonObject run = new JsonObject().put("runId", "guarded").put("temperature", 0);
        HttpResponse<Buffer> none = teacher.post("/runs").sendJsonObject(run)
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(401, none.statusCode());
        assertTrue(none.bodyAsString().contains("missing bearer token"));
        HttpResponse<Buffer> wrong = teacher.post("/runs").bearerTokenAuthentication("guess")
                .sendJsonObject(run).toCompletionStage().toCompletableFuture().get();
        assertEquals(401, wrong.statusCode());
        HttpResponse<Buffer> right = teacher.post("/runs").bearerTokenAuthentication("s3cret-token")
                .sendJsonObject(run).toCompletionStage().toCompletableFuture().get();
        assertEquals(400, right.statusCode(), "past the guard, the body is validated: " + right.bodyAsString());
        assertEquals(200, teacher.get("/runs").statusCode(), "reading needs no token");
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() throws Exception {
        JsonObject run = new JsonObject().put("runId", "guarded").put("temperature", 0);
        for (String scheme : new String[]{"bearer", "BEARER", "Bearer", "beAReR"}) {
            HttpResponse<Buffer> response = teacher.post("/runs")
                    .putHeader("Authorization", scheme + " s3cret-token").sendJsonObject(run)
                    .toCompletionStage().toCompletableFuture().get();
            assertEquals(400, response.statusCode(), scheme + ": past the guard: " + response.bodyAsString());
        }
        for (String header : new String[]{"bearer s3cret-tokeN", "Basic s3cret-token", "Bearer", "s3cret-token",
                "Bearers3cret-token"}) {
            assertEquals(401, teacher.post("/runs").putHeader("Authorization", header)
                    .sendJsonObject(run).toCompletionStage().toCompletableFuture().get().statusCode(), header);
        }
    }

    @Test
    void oversizedBodiesAreRefusedAndLoggedOnceAsSuchWithTheLimit() throws Exception {
        Buffer big = Buffer.buffer("{\"runId\":\"" + "x".repeat(100_000) + "\"}");
        String declaredLog = CapturedOutput.ofStderr(() -> {
            HttpResponse<Buffer> declared = teacher.post("/runs")
                    .bearerTokenAuthentication("s3cret-token").sendBuffer(big)
                    .toCompletionStage().toCompletableFuture().get();
            assertEquals(413, declared.statusCode());
            assertTrue(declared.bodyAsJsonObject().getString("error").contains("65536"), declared.bodyAsString());
        });
        assertLoggedOnceAsRefused(declaredLog);

        String chunkedLog = CapturedOutput.ofStderr(() -> {
            HttpClientResponse chunked = teacher.mesh.vertx().createHttpClient()
                    .request(new RequestOptions().setMethod(HttpMethod.POST).setPort(teacher.port())
                            .setHost("127.0.0.1").setURI("/runs").putHeader("Authorization", "Bearer s3cret-token"))
                    .compose(request -> request.setChunked(true).send(big))
                    .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            assertEquals(413, chunked.statusCode());
        });
        assertLoggedOnceAsRefused(chunkedLog);
    }

    private static void assertLoggedOnceAsRefused(String log) {
        assertFalse(log.contains("Unhandled exception in router"), log);
        assertFalse(log.contains("ERROR"), log);
        List<String> lines = log.lines().filter(l -> l.contains("65536")).toList();
        assertEquals(1, lines.size(), log);
        assertTrue(lines.get(0).contains("WARN") && lines.get(0).contains("POST /runs"), lines.get(0));
    }

    @Test
    void formBodiesAreRefusedAsNotJsonWithoutAnUploadsDirectory() throws Exception {
        // in a container the working directory is on a read-only root: creating Vert.x's uploads folder there
        // answered 500
        Path uploads = Path.of("file-uploads");
        Files.deleteIfExists(uploads);
        HttpResponse<Buffer> form = teacher.post("/runs").bearerTokenAuthentication("s3cret-token")
                .putHeader("content-type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("runId=form"))
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(400, form.statusCode(), form.bodyAsString());
        HttpResponse<Buffer> multipart = teacher.post("/runs").bearerTokenAuthentication("s3cret-token")
                .putHeader("content-type", "multipart/form-data; boundary=b")
                .sendBuffer(Buffer.buffer("--b\r\ncontent-disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\n\r\nx\r\n--b--\r\n"))
                .toCompletionStage().toCompletableFuture().get();
        assertEquals(400, multipart.statusCode(), multipart.bodyAsString());
        assertFalse(Files.exists(uploads), "the API made " + uploads.toAbsolutePath());
    }
}
