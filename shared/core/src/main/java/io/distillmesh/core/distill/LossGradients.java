package io.distillmesh.core.distill;

import java.util.Arrays;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Evaluates one network's loss and its first-order gradients at any flat parameter vector θ
 * (in {@code net.params()} order). The loss is always the MEAN over the batch, as {@code net.score()};
 * DL4J's backprop returns gradients of the SUM, so they are divided by the batch size here and nowhere
 * else. Returned arrays are copies the caller owns.
 */
public final class LossGradients {
    private final MultiLayerNetwork net;
    private final DataType dataType;
    private final long numParams;

    public LossGradients(MultiLayerNetwork net) {
        NetworkRequirements.check(net);
        this.net = net;
        this.dataType = net.params().dataType();
        this.numParams = net.numParams();
    }

    /** ∇θ ℓ and ∇x ℓ of the mean loss, from one backward pass. */
    public record ParamsAndInput(INDArray params, INDArray input) {
    }

    /** The mean loss and its parameter gradient. */
    public record Scored(double loss, INDArray params) {
    }

    public DataType dataType() {
        return dataType;
    }

    public long numParams() {
        return numParams;
    }

    public MultiLayerNetwork network() {
        return net;
    }

    public ParamsAndInput paramsAndInput(INDArray theta, INDArray x, INDArray y) {
        INDArray input = prepare(theta, x, y);
        Pair<Gradient, INDArray> p = net.calculateGradients(input, y.castTo(dataType), null, null);
        double n = x.size(0);
        INDArray dTheta = p.getFirst().gradient().dup().divi(n);
        INDArray dx = p.getSecond().dup().divi(n).reshape(x.shape());
        return new ParamsAndInput(dTheta, dx);
    }

    /** The mean loss at θ and its parameter gradient (no input gradient is formed). */
    public Scored scored(INDArray theta, INDArray x, INDArray y) {
        INDArray input = prepare(theta, x, y);
        net.setInput(input);
        net.setLabels(y.castTo(dataType));
        net.computeGradientAndScore();
        double n = x.size(0);
        INDArray dTheta = net.gradient().gradient().dup().divi(n);
        double loss = net.score();
        net.clear();
        return new Scored(loss, dTheta);
    }

    /** The mean loss at θ (forward pass only). */
    public double loss(INDArray theta, INDArray x, INDArray y) {
        INDArray input = prepare(theta, x, y);
        return net.score(new DataSet(input, y.castTo(dataType)), false);
    }

    private INDArray prepare(INDArray theta, INDArray x, INDArray y) {
        if (theta.length() != numParams) {
            throw new IllegalArgumentException("parameter vector has " + theta.length() + " values, the network "
                    + numParams);
        }
        if (x.size(0) != y.size(0) || x.size(0) == 0) {
            throw new IllegalArgumentException("inputs " + Arrays.toString(x.shape()) + " and labels "
                    + Arrays.toString(y.shape()) + " must have the same, positive number of rows");
        }
        net.setParams(theta.reshape(numParams).castTo(dataType));
        return x.castTo(dataType);
    }
}
