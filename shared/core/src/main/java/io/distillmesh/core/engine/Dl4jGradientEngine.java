package io.distillmesh.core.engine;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Gradients from DL4J's own backprop, for any network {@link NetworkRequirements} accepts. DL4J returns
 * gradients of the SUM over the batch; they are divided by the batch size here to match the mean loss
 * of {@code net.score()}.
 */
final class Dl4jGradientEngine implements GradientEngine {
    private final MultiLayerNetwork net;

    Dl4jGradientEngine(MultiLayerNetwork net) {
        this.net = net;
    }

    @Override
    public String name() {
        return "dl4j";
    }

    @Override
    public LossGradients.ParamsAndInput paramsAndInput(INDArray theta, INDArray x, INDArray y) {
        net.setParams(theta);
        Pair<Gradient, INDArray> p = net.calculateGradients(x, y, null, null);
        double n = x.size(0);
        INDArray dTheta = p.getFirst().gradient().dup().divi(n);
        INDArray dx = p.getSecond().dup().divi(n).reshape(x.shape());
        return new LossGradients.ParamsAndInput(dTheta, dx);
    }

    @Override
    public LossGradients.Scored scored(INDArray theta, INDArray x, INDArray y) {
        net.setParams(theta);
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        INDArray dTheta = net.gradient().gradient().dup().divi(x.size(0));
        double loss = net.score();
        net.clear();
        return new LossGradients.Scored(loss, dTheta);
    }

    @Override
    public double loss(INDArray theta, INDArray x, INDArray y) {
        net.setParams(theta);
        return net.score(new DataSet(x, y), false);
    }
}
