package io.distillmesh.standalone;

import io.distillmesh.student.StudentSpec;
import io.distillmesh.teacher.RunStatus;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.util.List;

/** The final table: the teacher, then each student's test accuracy and its gain over the hard-label baseline. */
final class ResultTable {
    private final String teacher;
    private final JsonObject teacherResult;
    private final RunStatus run;
    private final int samples;
    private final int labelled;
    private final int epochs;

    ResultTable(String teacher, JsonObject teacherResult, RunStatus run, int samples, int labelled, int epochs) {
        this.teacher = teacher;
        this.teacherResult = teacherResult;
        this.run = run;
        this.samples = samples;
        this.labelled = labelled;
        this.epochs = epochs;
    }

    void print(List<Row> students, PrintWriter out) {
        double baseline = students.stream().filter(r -> r.spec().alpha() == 0).mapToDouble(r -> accuracy(r.result()))
                .findFirst().orElse(Double.NaN);
        out.println();
        out.printf("Run: teacher streamed %d samples (%d with labels) at T=%s in %.1f s (%.0f samples/s)%n",
                run.produced(), Math.min(labelled, samples), run.spec().temperature(), run.wallNanos() / 1e9,
                run.produced() / (run.wallNanos() / 1e9));
        out.printf("Students: MLP %s, %d passes over the stream, test set: Fashion-MNIST 10,000 images%n%n",
                students.isEmpty() ? "" : students.get(0).spec().model().describe(), epochs);
        out.println("Scored by the evaluator (dm.eval.results):");
        String line = "+------------------------------+-------+-------+-----------------+---------------+--------------+-------------------+";
        out.println(line);
        out.printf("| %-28s | %-5s | %-5s | %-15s | %-13s | %-12s | %-17s |%n", "model", "T'", "alpha",
                "samples trained", "test accuracy", "vs baseline", "agrees w/ teacher");
        out.println(line);
        out.printf("| %-28s | %-5s | %-5s | %-15s | %12.2f%% | %-12s | %-17s |%n", "teacher " + teacher, "-", "-",
                "-", 100 * accuracy(teacherResult), "", "");
        for (Row r : students) {
            double accuracy = accuracy(r.result());
            String gain = r.spec().alpha() == 0 ? "(baseline)" : String.format("%+.2f pts", 100 * (accuracy - baseline));
            out.printf("| %-28s | %-5s | %-5s | %15d | %12.2f%% | %-12s | %16.2f%% |%n", r.name(),
                    r.spec().alpha() == 0 ? "-" : Double.toString(r.spec().temperature()), r.spec().alpha(),
                    r.samplesTrained(), 100 * accuracy, gain, 100 * r.result().getDouble("teacherAgreement"));
        }
        out.println(line);
    }

    private static double accuracy(JsonObject result) {
        return result.getDouble("accuracy");
    }

    /** A student and its newest evaluation result. */
    record Row(String name, StudentSpec spec, JsonObject result, long samplesTrained) {
    }
}
