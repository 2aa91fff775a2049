package io.distillmesh.standalone;

import io.vertx.core.http.HttpMethod;

/** One REST request on loopback and the status it must be answered with. */
record RestCall(HttpMethod method, int port, String path, String body, int expectedStatus) {

    static RestCall get(int port, String path, int expectedStatus) {
        return new RestCall(HttpMethod.GET, port, path, null, expectedStatus);
    }

    static RestCall post(int port, String path, String body, int expectedStatus) {
        return new RestCall(HttpMethod.POST, port, path, body, expectedStatus);
    }

    @Override
    public String toString() {
        return method + " :" + port + path + (body == null ? "" : " " + body) + " (expects " + expectedStatus + ")";
    }
}
