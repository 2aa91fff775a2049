package io.distillmesh.standalone;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** REST calls to a teacher process, waiting for it where it may still be starting. */
final class TeacherCalls {
    private TeacherCalls() {
    }

    static void awaitHealthy(WebClient client, TeacherProcess teacher) throws Exception {
        long deadline = System.currentTimeMillis() + TimeUnit.MINUTES.toMillis(2);
        while (true) {
            try {
                if (client.get(teacher.port(), "127.0.0.1", "/health").send().toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS).statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // still starting
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("the teacher did not come up; its log:\n" + Files.readString(teacher.log()));
            }
            Thread.sleep(250);
        }
    }

    static HttpResponse<Buffer> postRun(WebClient client, TeacherProcess teacher, JsonObject run) throws Exception {
        return client.post(teacher.port(), "127.0.0.1", "/runs").sendJsonObject(run)
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }

    static JsonObject status(WebClient client, TeacherProcess teacher, String runId) throws Exception {
        return client.get(teacher.port(), "127.0.0.1", "/runs/" + runId).send()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsJsonObject();
    }

    static long produced(WebClient client, TeacherProcess teacher, String runId) throws Exception {
        return status(client, teacher, runId).getLong("produced");
    }
}
