package io.distillmesh.student;

import io.distillmesh.messaging.vertx.ServiceLauncher;

/** The student service's container entry point: {@code StudentMain [config.json]}. */
public final class StudentMain {
    private StudentMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch("student", StudentVerticle.DEFAULTS, StudentVerticle::new, args);
    }
}
