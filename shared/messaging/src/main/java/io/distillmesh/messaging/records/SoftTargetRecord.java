package io.distillmesh.messaging.records;

/**
 * One sample as the teacher saw it: id, epoch of the teacher's stream, label ({@link #UNLABELLED} when the
 * sample carries none), the input, and the teacher's log-probabilities at {@code temperature}.
 */
public record SoftTargetRecord(long sampleId, int epoch, int label, float temperature, String teacherId,
                               float[] input, float[] logProbs) implements RunRecord {
    public static final int UNLABELLED = -1;

    public SoftTargetRecord {
        check(label, logProbs.length, temperature);
    }

    /** What every soft target must hold, however it is built. */
    static void check(int label, int classes, float temperature) {
        if (label < UNLABELLED || label >= classes) {
            throw new IllegalArgumentException("label " + label + " outside [-1, " + classes + ")");
        }
        if (!(temperature > 0) || Float.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
    }

    public boolean labelled() {
        return label != UNLABELLED;
    }

    public SoftTargetRecord withoutLabel() {
        return new SoftTargetRecord(sampleId, epoch, UNLABELLED, temperature, teacherId, input, logProbs);
    }
}
