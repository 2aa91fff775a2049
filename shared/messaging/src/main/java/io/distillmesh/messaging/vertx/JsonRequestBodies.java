package io.distillmesh.messaging.vertx;

import io.vertx.ext.web.handler.BodyHandler;

/**
 * The body handler of every REST API in the mesh: bodies are JSON of at most {@link #LIMIT} bytes (413 beyond).
 * File uploads are not handled, so a form or multipart request never makes Vert.x create its uploads directory
 * (the services run on a read-only root filesystem); it reaches the route and is refused there as not JSON.
 */
public final class JsonRequestBodies {
    public static final int LIMIT = 64 * 1024;

    private JsonRequestBodies() {
    }

    public static BodyHandler handler() {
        return BodyHandler.create(false).setBodyLimit(LIMIT);
    }
}
