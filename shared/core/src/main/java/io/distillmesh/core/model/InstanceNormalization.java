package io.distillmesh.core.model;

import java.util.Map;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.samediff.SDLayerParams;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffLayer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Instance normalisation (Ulyanov et al. 2016) as a DL4J layer, which DL4J 1.0.0-M2.1 lacks: each channel of each
 * image (NCHW) is normalised by its own mean and biased variance over the image's rows and columns, then scaled and
 * shifted per channel, y = γ·(x − μ)/√(σ² + ε) + β; the same in training and inference (no running statistics).
 * It is what the dataset-condensation papers' ConvNet uses ({@code GroupNorm(C, C, affine=True)} in PyTorch).
 * DL4J trains and serialises it through SameDiff; the engine reads it as its own pass.
 */
public final class InstanceNormalization extends SameDiffLayer {
    public static final String GAIN = "gamma";
    public static final String BIAS = "beta";
    public static final double DEFAULT_EPSILON = 1e-5;

    private long channels;
    private double epsilon = DEFAULT_EPSILON;

    /** For DL4J's JSON reader. */
    public InstanceNormalization() {
    }

    public InstanceNormalization(double epsilon) {
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("instance normalisation needs a positive epsilon, got " + epsilon);
        }
        this.epsilon = epsilon;
    }

    public long getChannels() {
        return channels;
    }

    public void setChannels(long channels) {
        this.channels = channels;
    }

    public double getEpsilon() {
        return epsilon;
    }

    public void setEpsilon(double epsilon) {
        this.epsilon = epsilon;
    }

    @Override
    public SDVariable defineLayer(SameDiff sd, SDVariable x, Map<String, SDVariable> params, SDVariable mask) {
        SDVariable mean = x.mean(true, 2, 3);
        SDVariable centred = x.sub(mean);
        SDVariable variance = centred.mul(centred).mean(true, 2, 3);
        SDVariable normalised = centred.div(sd.math().sqrt(variance.add(epsilon)));
        SDVariable gain = params.get(GAIN).reshape(1, channels, 1, 1);
        SDVariable bias = params.get(BIAS).reshape(1, channels, 1, 1);
        return normalised.mul(gain).add(bias);
    }

    @Override
    public void defineParameters(SDLayerParams params) {
        params.clear();
        params.addWeightParam(GAIN, 1, channels);
        params.addBiasParam(BIAS, 1, channels);
    }

    @Override
    public void initializeParameters(Map<String, INDArray> params) {
        params.get(GAIN).assign(1);
        params.get(BIAS).assign(0);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalArgumentException("instance normalisation needs convolutional (NCHW) input, got " + inputType);
        }
        if (channels == 0 || override) {
            channels = c.getChannels();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceNormalization n && n.channels == channels && n.epsilon == epsilon && super.equals(o);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(channels) * 31 + Double.hashCode(epsilon);
    }
}
