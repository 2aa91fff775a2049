package io.distillmesh.core.train;

/** The time a job has left at the pace it has kept so far: the teacher's runs and the distiller's jobs report it. */
public final class Pace {
    private Pace() {
    }

    /**
     * Seconds until {@code total} units are done, when {@code done} took {@code elapsedSeconds}; NaN before the first
     * unit is done.
     */
    public static double secondsLeft(double elapsedSeconds, long done, long total) {
        if (done <= 0) {
            return Double.NaN;
        }
        return elapsedSeconds / done * (total - done);
    }
}
