package io.distillmesh.standalone;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Reads the evaluator's results over its REST API, waiting until it has scored what the demo needs. */
final class EvaluatorResults {
    private final WebClient client;
    private final String host;
    private final int port;

    EvaluatorResults(WebClient client, String host, int port) {
        this.client = client;
        this.host = host;
        this.port = port;
    }

    /**
     * The newest result of each subject, once the teacher and every student in {@code samplesTrained} have
     * a result at (at least) that many trained samples.
     */
    Map<String, JsonObject> awaitFinal(String teacherSubject, Map<String, Long> samplesTrained, long timeoutMillis)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            Map<String, JsonObject> latest = latest();
            if (latest.containsKey(teacherSubject) && samplesTrained.entrySet().stream().allMatch(e ->
                    latest.containsKey(e.getKey()) && trainedSamples(latest.get(e.getKey())) >= e.getValue())) {
                return latest;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the evaluator has not scored every final checkpoint in time: "
                        + latest.keySet());
            }
            Thread.sleep(250);
        }
    }

    /**
     * The evaluator's rows for a distilled set (pointId → result: {@code set} and every {@code baseline:*}), once
     * the set and {@code baselines} baselines have been scored.
     */
    Map<String, JsonObject> awaitDistilled(String subjectId, int baselines, long timeoutMillis) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (true) {
            var response = client.get(port, host, "/results/" + subjectId).send().toCompletionStage()
                    .toCompletableFuture().get(30, TimeUnit.SECONDS);
            Map<String, JsonObject> rows = new LinkedHashMap<>();
            if (response.statusCode() == 200) {
                JsonArray points = response.bodyAsJsonObject().getJsonArray("points", new JsonArray());
                for (int i = 0; i < points.size(); i++) {
                    rows.put(points.getJsonObject(i).getString("pointId"), points.getJsonObject(i));
                }
            }
            if (rows.containsKey("set") && rows.keySet().stream().filter(k -> k.startsWith("baseline:")).count() >= baselines) {
                return rows;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the evaluator has not scored " + subjectId + " in time: " + rows.keySet());
            }
            Thread.sleep(500);
        }
    }

    private Map<String, JsonObject> latest() throws Exception {
        JsonArray subjects = client.get(port, host, "/results").send().toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS).bodyAsJsonArray();
        Map<String, JsonObject> out = new HashMap<>();
        for (int i = 0; i < subjects.size(); i++) {
            JsonObject subject = subjects.getJsonObject(i);
            out.put(subject.getString("subjectId"), subject.getJsonObject("latest"));
        }
        return out;
    }

    private static long trainedSamples(JsonObject result) {
        JsonObject progress = result.getJsonObject("progress");
        return progress == null ? -1 : progress.getLong("samplesTrained", -1L);
    }
}
