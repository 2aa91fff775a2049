package io.distillmesh.messaging.records;

/**
 * One sample as the teacher saw it: id, epoch of the teacher's stream, label ({@link #UNLABELLED} when the
 * sample carries none), the input, and the teacher's log-probabilities at {@code temperature}.
 */
public record SoftTargetRecord(long sampleId, int epoch, int label, float temperature, String teacherId,
                               float[] input, float[] logProbs) implements RunRecord {
    public static final int UNLABELLED = -1;

    public SoftTargetRecord {
        if (label < UNLABELLED || label >= logProbs.length) {
            throw new IllegalArgumentException("label " + label + " outside [-1, " + logProbs.length + ")");
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
