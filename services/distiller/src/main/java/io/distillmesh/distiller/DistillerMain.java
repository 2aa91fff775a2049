package io.distillmesh.distiller;

import io.distillmesh.messaging.vertx.ServiceLauncher;

/** The distiller service's container entry point: {@code DistillerMain [config.json]}. */
public final class DistillerMain {
    private DistillerMain() {
    }

    public static void main(String[] args) {
        ServiceLauncher.launch("distiller", DistillerVerticle.DEFAULTS, DistillerVerticle::new, args);
    }
}
