package io.distillmesh.evaluator;

import io.distillmesh.messaging.vertx.ServiceLauncher;

/** The evaluator service's container entry point: {@code EvaluatorMain [config.json]}. */
public final class EvaluatorMain {
    private EvaluatorMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch("evaluator", EvaluatorVerticle.DEFAULTS, EvaluatorVerticle::new, args);
    }
}
