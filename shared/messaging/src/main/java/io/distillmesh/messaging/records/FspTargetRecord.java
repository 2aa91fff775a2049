package io.distillmesh.messaging.records;

import java.util.List;

/**
 * One sample's teacher FSP matrices (Yim et al. 2017), one per configured layer pair, with the sample's input so a
 * student's stage 1 needs only this topic: id, epoch of the teacher's stream, label ({@link #UNLABELLED} when none).
 */
public record FspTargetRecord(long sampleId, int epoch, int label, String teacherId, float[] input,
                              List<Matrix> matrices) implements FspRecord {
    public static final int UNLABELLED = -1;

    public FspTargetRecord {
        check(label, matrices);
        matrices = List.copyOf(matrices);
    }

    /** What every FSP record must hold, however it is built. */
    static void check(int label, List<Matrix> matrices) {
        if (label < UNLABELLED) {
            throw new IllegalArgumentException("label must be >= -1, got " + label);
        }
        if (matrices == null || matrices.isEmpty()) {
            throw new IllegalArgumentException("an FSP record needs at least one matrix");
        }
    }

    /** A {@code rows x cols} FSP matrix, row-major. */
    public record Matrix(int rows, int cols, float[] values) {
        public Matrix {
            if (rows < 1 || cols < 1 || values.length != rows * cols) {
                throw new IllegalArgumentException("a " + rows + "x" + cols + " matrix needs " + rows * cols
                        + " values, got " + values.length);
            }
        }
    }
}
