package io.distillmesh.standalone;

/** What a {@link RestCall} got: a status, or the error when no answer came; and how long it took. */
record RestAnswer(RestCall call, int status, String error, long nanos) {

    boolean asExpected() {
        return error == null && status == call.expectedStatus();
    }

    long millis() {
        return nanos / 1_000_000;
    }

    @Override
    public String toString() {
        return call + ": " + (error == null ? status : "no answer, " + error) + " in " + millis() + " ms";
    }
}
