package io.distillmesh.teacher;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run request is taken as written or refused with a 400 that names the field; nothing is silently changed. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RunRequestValidationTest {
    private static TeacherService teacher;

    @BeforeAll
    static void start() throws Exception {
        teacher = TeacherService.withModels(dir -> Files.writeString(dir.resolve("broken.zip"), "not a model"));
    }

    @AfterAll
    static void stop() throws Exception {
        teacher.close();
    }

    @Test
    void numbersThatDoNotFitOrAreNotIntegersAreRefusedNamingTheField() throws Exception {
        assertRefused("{\"runId\":\"n1\",\"epochs\":4294967297}", "epochs", "4294967297");
        assertRefused("{\"runId\":\"n2\",\"seed\":1.5}", "seed", "integer");
        assertRefused("{\"runId\":\"n3\",\"labelled\":1e300}", "labelled", "2147483647");
        assertRefused("{\"runId\":\"n4\",\"seed\":123456789012345678901234567890}", "seed", "integer");
        assertRefused("{\"runId\":\"n5\",\"batchSize\":64.5}", "batchSize", "integer");
        assertRefused("{\"runId\":\"n6\",\"temperature\":1e400}", "temperature", "finite");
        for (String id : new String[]{"n1", "n2", "n3", "n4", "n5", "n6"}) {
            assertEquals(404, teacher.get("/runs/" + id).statusCode(), id + " must not have been started");
        }
    }

    @Test
    void anIntegralNumberWrittenWithAFractionIsTakenAsThatInteger() throws Exception {
        HttpResponse<Buffer> accepted = teacher.postRun("{\"runId\":\"whole\",\"limit\":10.0,\"epochs\":1e0}");
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        assertEquals(10, accepted.bodyAsJsonObject().getJsonObject("spec").getInteger("limit"));
        teacher.awaitDone("whole");
    }

    @Test
    void aDuplicateKeyIsRefusedNamingIt() throws Exception {
        assertRefused("{\"runId\":\"dup\",\"epochs\":1,\"epochs\":2}", "Duplicate field 'epochs'");
        assertRefused("{\"runId\":\"dup\",\"fspPairs\":[],\"runId\":\"dup2\"}", "Duplicate field 'runId'");
    }

    @Test
    void aBodyThatIsNotAnObjectOrAFieldOfTheWrongTypeNamesWhatWasExpected() throws Exception {
        assertRefused("[{\"runId\":\"a\"}]", "JSON object", "an array");
        assertRefused("\"run\"", "JSON object", "a string");
        assertRefused("42", "JSON object", "a number");
        assertRefused("null", "JSON object");
        assertRefused("", "JSON object");
        assertRefused("{\"runId\":\"t1\"} {}", "not valid JSON");
        assertRefused("{\"runId\":7}", "runId must be a string", "a number");
        assertRefused("{\"runId\":\"t2\",\"model\":[\"teacher-cnn.zip\"]}", "model must be a string", "an array");
        assertRefused("{\"runId\":\"t3\",\"epochs\":\"2\"}", "epochs must be an integer", "a string");
        assertRefused("{\"runId\":\"t4\",\"temperature\":true}", "temperature must be a number", "a boolean");
        assertRefused("{\"runId\":\"t5\",\"seed\":null}", "seed must be an integer", "null");
        assertRefused("{\"runId\":\"t6\",\"split\":{}}", "split must be a string", "an object");
    }

    @Test
    void modelFileErrorsNameTheFileInModelsDirNotTheServersPath() throws Exception {
        assertRefused("{\"runId\":\"m1\",\"model\":\"absent.zip\"}", "absent.zip", "not found");
        assertRefused("{\"runId\":\"m2\",\"model\":\"broken.zip\"}", "broken.zip", "models.dir");
    }

    private static void assertRefused(String body, String... reasons) throws Exception {
        HttpResponse<Buffer> response = teacher.postRun(body);
        assertEquals(400, response.statusCode(), body + " -> " + response.bodyAsString());
        String error = response.bodyAsJsonObject().getString("error");
        for (String reason : reasons) {
            assertTrue(error.contains(reason), body + ": expected '" + reason + "' in: " + error);
        }
        for (String leak : new String[]{"java.", "cannot be cast", "Exception", teacher.modelsDir.toString(),
                teacher.modelsDir.toRealPath().toString()}) {
            assertFalse(error.contains(leak), body + ": '" + leak + "' in: " + error);
        }
    }
}
