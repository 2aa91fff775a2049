package io.distillmesh.core.specialist;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/**
 * A specialist's view of the classes: its own classes (indices into the generalist's {@code fullClasses}) keep
 * their identity, every other class is merged into one dustbin, the last reduced class.
 */
public record ClassReduction(int[] classes, int fullClasses) {
    public ClassReduction {
        classes = classes.clone();
        if (classes.length < 1 || classes.length >= fullClasses) {
            throw new IllegalArgumentException("a specialist needs 1 to " + (fullClasses - 1) + " of the " + fullClasses
                    + " classes, got " + Arrays.toString(classes));
        }
        if (Arrays.stream(classes).distinct().count() != classes.length
                || Arrays.stream(classes).anyMatch(c -> c < 0 || c >= fullClasses)) {
            throw new IllegalArgumentException("specialist classes must be distinct and in 0.." + (fullClasses - 1)
                    + ", got " + Arrays.toString(classes));
        }
    }

    @Override
    public int[] classes() {
        return classes.clone();
    }

    /** The specialist's classes plus the dustbin. */
    public int size() {
        return classes.length + 1;
    }

    public boolean covers(int fullClass) {
        return reducedClass(fullClass) < classes.length;
    }

    /** The reduced class of a full class: its position among the specialist's classes, or the dustbin. */
    public int reducedClass(int fullClass) {
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] == fullClass) {
                return i;
            }
        }
        return classes.length;
    }

    /** One distribution over the full classes summed into one over the reduced classes. */
    public double[] reduce(double[] p) {
        if (p.length != fullClasses) {
            throw new IllegalArgumentException("distribution has " + p.length + " classes, expected " + fullClasses);
        }
        double[] out = new double[size()];
        for (int k = 0; k < fullClasses; k++) {
            out[reducedClass(k)] += p[k];
        }
        return out;
    }

    /** Rows over the full classes (distributions, or one-hot labels) summed into rows over the reduced ones. */
    public INDArray reduce(INDArray rows) {
        if (rows.size(1) != fullClasses) {
            throw new IllegalArgumentException("rows have " + rows.size(1) + " classes, expected " + fullClasses);
        }
        INDArray merge = Nd4j.zeros(rows.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT,
                fullClasses, size());
        for (int k = 0; k < fullClasses; k++) {
            merge.putScalar(k, reducedClass(k), 1.0);
        }
        return rows.mmul(merge.castTo(rows.dataType()));
    }
}
