package io.distillmesh.teacher;

import io.distillmesh.messaging.vertx.ServiceLauncher;

/** The teacher service's container entry point: {@code TeacherMain [config.json]}. */
public final class TeacherMain {
    private TeacherMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch("teacher", TeacherVerticle.DEFAULTS, TeacherVerticle::new, args);
    }
}
