package io.distillmesh.standalone;

import io.distillmesh.distiller.JobState;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The demo's dataset-distillation step: submits one job to the distiller's REST API, as a user would, and
 * follows its status with a console progress bar (iteration, meta-loss, step sizes) until it finishes.
 */
final class DistillationStep {
    private final WebClient client;
    private final String host;
    private final int port;

    DistillationStep(WebClient client, String host, int port) {
        this.client = client;
        this.host = host;
        this.port = port;
    }

    /** The job's final status; throws when the distiller refuses the spec. */
    JsonObject run(JsonObject spec) throws Exception {
        var submitted = client.post(port, host, "/jobs").sendJsonObject(spec)
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        if (submitted.statusCode() != 202) {
            throw new IllegalStateException("the distiller refused the job (" + submitted.statusCode() + "): "
                    + submitted.bodyAsString());
        }
        String jobId = submitted.bodyAsJsonObject().getString("jobId");
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("distill").setInitialMax(spec.getInteger("iterations"))
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(120)
                .continuousUpdate().build()) {
            while (true) {
                JsonObject status = client.get(port, host, "/jobs/" + jobId).send()
                        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsJsonObject();
                bar.stepTo(status.getInteger("iteration", 0));
                bar.setExtraMessage(message(status));
                if (JobState.valueOf(status.getString("state")).finished()) {
                    return status;
                }
                Thread.sleep(250);
            }
        }
    }

    private static String message(JsonObject status) {
        Double loss = status.getDouble("metaLoss");
        return loss == null ? " " + status.getString("state").toLowerCase(Locale.ROOT)
                : String.format(Locale.ROOT, " meta-loss %.3f, η %s", loss, status.getJsonArray("stepSizes").stream()
                .map(s -> String.format(Locale.ROOT, "%.3f", ((Number) s).doubleValue())).toList());
    }
}
