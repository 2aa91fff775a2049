package io.distillmesh.evaluator.distilled;

import io.distillmesh.evaluator.metrics.SubjectMetrics;
import io.vertx.core.json.JsonObject;

/**
 * A poisoning set's effect (Wang et al. 2018, section 3.4): test accuracy on the attacked class and on every
 * other class, before the distilled steps (the pretrained networks) and after them. "Rest" is the mean of the
 * other classes' accuracies, which equals the accuracy on their images when the classes are balanced, as in
 * Fashion-MNIST's test set.
 */
public record PoisoningEffect(int attackClass, int targetClass, double attackAccuracyBefore, double attackAccuracyAfter,
                       double restAccuracyBefore, double restAccuracyAfter) {

    static PoisoningEffect of(DistilledObjective objective, SubjectMetrics before, SubjectMetrics after) {
        double[] b = before.mean().perClassAccuracy();
        double[] a = after.mean().perClassAccuracy();
        int k = objective.attackClass();
        return new PoisoningEffect(k, objective.targetClass(), b[k], a[k], rest(b, k), rest(a, k));
    }

    private static double rest(double[] perClass, int excluded) {
        double sum = 0;
        for (int c = 0; c < perClass.length; c++) {
            sum += c == excluded ? 0 : perClass[c];
        }
        return sum / (perClass.length - 1);
    }

    public JsonObject toJson() {
        return new JsonObject().put("attackClass", attackClass).put("targetClass", targetClass)
                .put("attackAccuracyBefore", attackAccuracyBefore).put("attackAccuracyAfter", attackAccuracyAfter)
                .put("restAccuracyBefore", restAccuracyBefore).put("restAccuracyAfter", restAccuracyAfter);
    }
}
