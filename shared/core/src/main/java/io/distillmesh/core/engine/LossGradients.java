package io.distillmesh.core.engine;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Evaluates one network's loss and its first-order gradients at any flat parameter vector θ
 * (in {@code net.params()} order). The loss is always the MEAN over the batch, as {@code net.score()}.
 * The gradients come from a hand-written backprop ({@link SmallNetworkGradientEngine}, MLPs and LeNets
 * with ReLU and a softmax cross-entropy output) or from DL4J's own ({@link Dl4jGradientEngine}), as
 * {@link Backprop} says. Returned arrays are copies the caller owns.
 */
public final class LossGradients {
    private final MultiLayerNetwork net;
    private final GradientEngine engine;
    private final DataType dataType;
    private final long numParams;

    /** Gradients for {@code net} by the backprop {@link Backprop#AUTOMATIC} chooses. */
    public LossGradients(MultiLayerNetwork net) {
        this(net, Backprop.AUTOMATIC);
    }

    public LossGradients(MultiLayerNetwork net, Backprop backprop) {
        this(net, backprop, true);
    }

    private LossGradients(MultiLayerNetwork net, Backprop backprop, boolean forMetaGradients) {
        if (forMetaGradients) {
            NetworkRequirements.check(net);
        }
        this.net = net;
        this.dataType = net.params().dataType();
        this.numParams = net.numParams();
        this.engine = choose(net, backprop);
    }

    private static GradientEngine choose(MultiLayerNetwork net, Backprop backprop) {
        if (backprop == Backprop.DL4J) {
            return new Dl4jGradientEngine(net);
        }
        Optional<SmallNetworkGradientEngine> handWritten = SmallNetworkGradientEngine.supporting(net);
        if (backprop == Backprop.HAND_WRITTEN) {
            return handWritten.orElseThrow(() -> new IllegalArgumentException("the hand-written backprop does not "
                    + "support this network (MLPs, LeNets and ConvNets with ReLU and softmax cross-entropy only); use dl4j"));
        }
        Optional<SmallNetworkGradientEngine> faster = handWritten.filter(e -> e.fasterThanDl4j() || e.dl4jBackpropIsWrong());
        return faster.isPresent() ? faster.get() : new Dl4jGradientEngine(net);
    }

    /**
     * The hand-written gradients of the data loss for a trainer that applies the network's regularisation itself
     * (its optimizer step), so {@link NetworkRequirements}' refusal of regularisation, which guards meta-gradients,
     * does not apply.
     */
    static LossGradients forTraining(MultiLayerNetwork net) {
        return new LossGradients(net, Backprop.HAND_WRITTEN, false);
    }

    /** Gradients for {@code net} always from DL4J's own backprop (the reference the hand-written one is tested on). */
    public static LossGradients dl4jBackprop(MultiLayerNetwork net) {
        return new LossGradients(net, Backprop.DL4J);
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

    /** Which backprop computes the gradients: {@code hand-written} or {@code dl4j}. */
    public String engine() {
        return engine.name();
    }

    public ParamsAndInput paramsAndInput(INDArray theta, INDArray x, INDArray y) {
        check(theta, x, y);
        return engine.paramsAndInput(flat(theta), x.castTo(dataType), y.castTo(dataType));
    }

    /** The mean loss at θ and its parameter gradient (no input gradient is formed). */
    public Scored scored(INDArray theta, INDArray x, INDArray y) {
        check(theta, x, y);
        return engine.scored(flat(theta), x.castTo(dataType), y.castTo(dataType));
    }

    /** As {@link #scored(INDArray, INDArray, INDArray)}, asking {@code cancelled} between the chunks of x. */
    public Scored scored(INDArray theta, INDArray x, INDArray y, BooleanSupplier cancelled) {
        check(theta, x, y);
        return engine.scored(flat(theta), x.castTo(dataType), y.castTo(dataType), cancelled);
    }

    /** Whether {@link #hessianVectorProduct} is available (the hand-written backprop on its layers; not DL4J's). */
    public boolean hasExactHessianVectorProducts() {
        return engine.exactHessianVectorProducts();
    }

    /**
     * The exact Hv = ∂/∂ε ∇θ ℓ(x, θ+εv) and ∂/∂ε ∇x ℓ(x, θ+εv) by the R-operator, where
     * {@link #hasExactHessianVectorProducts()}.
     */
    public ParamsAndInput hessianVectorProduct(INDArray theta, INDArray v, INDArray x, INDArray y) {
        check(theta, x, y);
        if (v.length() != numParams) {
            throw new IllegalArgumentException("direction v has " + v.length() + " values, the network " + numParams);
        }
        return engine.hessianVectorProduct(flat(theta), flat(v), x.castTo(dataType), y.castTo(dataType));
    }

    /** The mean loss at θ (forward pass only). */
    public double loss(INDArray theta, INDArray x, INDArray y) {
        check(theta, x, y);
        return engine.loss(flat(theta), x.castTo(dataType), y.castTo(dataType));
    }

    private INDArray flat(INDArray theta) {
        return theta.reshape(numParams).castTo(dataType);
    }

    private void check(INDArray theta, INDArray x, INDArray y) {
        if (theta.length() != numParams) {
            throw new IllegalArgumentException("parameter vector has " + theta.length() + " values, the network "
                    + numParams);
        }
        if (x.size(0) != y.size(0) || x.size(0) == 0) {
            throw new IllegalArgumentException("inputs " + Arrays.toString(x.shape()) + " and labels "
                    + Arrays.toString(y.shape()) + " must have the same, positive number of rows");
        }
    }
}
