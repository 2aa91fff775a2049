package io.distillmesh.core.engine;

/**
 * The batch mean of −Σ y·log softmax(z) on flat arrays, with gradient (softmax(z)·Σy − y)/n; label rows need not
 * be one-hot. DL4J's softmax output layer with the multi-class cross-entropy computes the same.
 */
public final class SoftmaxCrossEntropyLoss implements OutputLoss {
    private final int classes;

    public SoftmaxCrossEntropyLoss(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + classes);
        }
        this.classes = classes;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int labelColumns() {
        return classes;
    }

    @Override
    public double lossAndGradient(double[] logits, double[] labels, int n, double[] gradient) {
        int k = classes;
        if (logits.length < n * k || labels.length < n * k || gradient.length < n * k) {
            throw new IllegalArgumentException("need logits, labels and gradient of " + n + "×" + k + ", got "
                    + logits.length + ", " + labels.length + ", " + gradient.length);
        }
        double total = 0;
        for (int r = 0; r < n; r++) {
            int row = r * k;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logits[row + c] - max);
            }
            double logSum = max + Math.log(sum);
            double mass = 0;
            for (int c = 0; c < k; c++) {
                double y = labels[row + c];
                mass += y;
                total -= y * (logits[row + c] - logSum);
            }
            for (int c = 0; c < k; c++) {
                gradient[row + c] = (Math.exp(logits[row + c] - logSum) * mass - labels[row + c]) / n;
            }
        }
        return total / n;
    }

    @Override
    public void activateOutput(double[] logits, int n) {
        for (int r = 0; r < n; r++) {
            int row = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                logits[row + c] = Math.exp(logits[row + c] - max);
                sum += logits[row + c];
            }
            for (int c = 0; c < classes; c++) {
                logits[row + c] /= sum;
            }
        }
    }
}
