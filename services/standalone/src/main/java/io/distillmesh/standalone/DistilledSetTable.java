package io.distillmesh.standalone;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The distillation step's table: the distilled set and the evaluator's baselines of the same size. */
final class DistilledSetTable {
    private static final String LINE = "+------------------------------+--------+--------------------------------+----------------------+";
    private final JsonObject job;
    private final Map<String, JsonObject> rows;

    /**
     * @param job  the distiller's final job status
     * @param rows the evaluator's rows for the set, by point id
     */
    DistilledSetTable(JsonObject job, Map<String, JsonObject> rows) {
        this.job = job;
        this.rows = rows;
    }

    void print(PrintWriter out) {
        JsonObject spec = job.getJsonObject("spec");
        int images = spec.getInteger("imagesPerClass") * spec.getInteger("steps") * 10;
        JsonObject set = rows.get("set");
        out.printf(Locale.ROOT, "%nDistilled by the distiller (job %s): %d images, %s, %s init, %d step(s) x %d epochs, "
                        + "%d meta-iterations in %.0f s%n", job.getString("jobId"), images, spec.getString("network"),
                spec.getString("init"), spec.getInteger("steps"), spec.getInteger("epochs"), job.getInteger("iterations"),
                job.getDouble("secondsPerIteration", 0.0) * job.getInteger("iterations"));
        out.printf(Locale.ROOT, "Scored by the evaluator in %.0f s: %d fresh networks per row, each trained on the row's "
                + "%d images and tested on 10,000 images (mean ± std)%n", set.getDouble("evaluationSeconds"),
                set.getInteger("replicas"), images);
        out.println(LINE);
        out.printf("| %-28s | %-6s | %-30s | %-20s |%n", "training set", "images", "step sizes", "test accuracy");
        out.println(LINE);
        printRow(out, "distilled set", images, learned(), set);
        rows.forEach((point, row) -> {
            if (point.startsWith("baseline:")) {
                double step = row.getJsonObject("settings").getJsonObject("result").getDouble("stepSize");
                printRow(out, point.substring("baseline:".length()), images, String.format(Locale.ROOT, "best fixed %.3g", step), row);
            }
        });
        out.println(LINE);
    }

    private String learned() {
        return "learned " + job.getJsonArray("stepSizes").stream()
                .map(s -> String.format(Locale.ROOT, "%.3f", ((Number) s).doubleValue())).collect(Collectors.joining(","));
    }

    private static void printRow(PrintWriter out, String name, int images, String steps, JsonObject row) {
        Double std = row.getDouble("accuracyStd");
        String accuracy = String.format(Locale.ROOT, "%6.2f%%", 100 * row.getDouble("accuracy"))
                + (std == null ? "" : String.format(Locale.ROOT, " ± %.2f", 100 * std));
        out.printf("| %-28s | %6d | %-30s | %-20s |%n", name, images, steps, accuracy);
    }
}
