package io.distillmesh.core.condense;

import io.distillmesh.core.engine.OffHeap;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The squared maximum mean discrepancy under a Gaussian kernel k(a, b) = exp(−‖a − b‖²/h), which matches every
 * moment of the two distributions, not only their means (M3D: Zhang et al., AAAI 2024). The bandwidth h is the
 * median squared distance between the class's real embeddings (the median heuristic), so it does not depend on the
 * synthetic images and the gradient is exact. The discrepancy is scaled by h/2: to first order in distance/h it is
 * then {@link FeatureDiscrepancy#MEANS}'s distance of the means, so the images' learning rate carries over.
 */
public final class GaussianMmd implements FeatureDiscrepancy {
    @Override
    public double addGradient(INDArray real, INDArray synthetic, INDArray gradient) {
        int n = real.rows();
        int m = synthetic.rows();
        if (n < 2) {
            throw new IllegalArgumentException("the Gaussian MMD's bandwidth needs at least 2 real images a class, got "
                    + n);
        }
        INDArray realDistances = squaredDistances(real, real);
        double h = medianOffDiagonal(realDistances);
        INDArray kRr = Transforms.exp(realDistances.divi(-h), false);
        INDArray kSs = Transforms.exp(squaredDistances(synthetic, synthetic).divi(-h), false);
        INDArray kSr = Transforms.exp(squaredDistances(synthetic, real).divi(-h), false);
        double mmd = kSs.meanNumber().doubleValue() + kRr.meanNumber().doubleValue()
                - 2 * kSr.meanNumber().doubleValue();
        // d/ds_i of the scaled discrepancy: −(2/M²) Σ_b kSs[i,b](s_i − s_b) + (2/(MN)) Σ_j kSr[i,j](s_i − r_j)
        INDArray towardsSynthetic = synthetic.mulColumnVector(kSs.sum(1)).subi(kSs.mmul(synthetic))
                .muli(-2.0 / ((double) m * m));
        INDArray towardsReal = synthetic.mulColumnVector(kSr.sum(1)).subi(kSr.mmul(real)).muli(2.0 / ((double) m * n));
        gradient.addi(towardsSynthetic).addi(towardsReal);
        OffHeap.release(kRr, kSs, kSr, towardsSynthetic, towardsReal);
        return h / 2 * mmd;
    }

    /** ‖a_i − b_j‖² for every row pair, never negative. */
    static INDArray squaredDistances(INDArray a, INDArray b) {
        INDArray aNorms = a.mul(a).sum(1).reshape(a.rows(), 1);
        INDArray bNorms = b.mul(b).sum(1).reshape(1, b.rows());
        INDArray distances = a.mmul(b.transpose()).muli(-2).addiColumnVector(aNorms).addiRowVector(bNorms);
        OffHeap.release(aNorms, bNorms);
        return Transforms.relu(distances, false);
    }

    private static double medianOffDiagonal(INDArray distances) {
        int n = distances.rows();
        double[] all = distances.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] values = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                values[k++] = all[i * n + j];
            }
        }
        Arrays.sort(values);
        double median = values.length % 2 == 1 ? values[values.length / 2]
                : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
        return median > 0 ? median : 1.0;
    }
}
