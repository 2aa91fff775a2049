package io.distillmesh.core.specialist;

import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import io.distillmesh.core.model.ResidualNetworks;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.util.List;

/**
 * A specialist's starting network: the generalist with its output layer cut down to the specialist's classes plus
 * a dustbin, trained by the Hinton loss at T with weight α and Adam. The group's output columns are the
 * generalist's; the dustbin's weights are the mean of the other columns and its bias the log of the summed
 * exponentiated biases, so that the dustbin starts with about the probability the generalist gives the rest.
 * The generalist is a MultiLayerNetwork, or a residual ComputationGraph whose output vertex is
 * {@link ResidualNetworks#OUTPUT}; the specialist is of the same kind.
 */
public final class SpecialistNetworks {
    private SpecialistNetworks() {
    }

    public static Model fromGeneralist(Model generalist, ClassReduction reduction, double temperature, double alpha,
                                       double learningRate, long seed) {
        if (generalist instanceof ComputationGraph graph) {
            return fromGeneralist(graph, reduction, temperature, alpha, learningRate, seed);
        }
        if (generalist instanceof MultiLayerNetwork net) {
            return fromGeneralist(net, reduction, temperature, alpha, learningRate, seed);
        }
        throw new IllegalArgumentException("a generalist must be a MultiLayerNetwork or a ComputationGraph, not "
                + generalist.getClass().getSimpleName());
    }

    public static MultiLayerNetwork fromGeneralist(MultiLayerNetwork generalist, ClassReduction reduction,
                                                   double temperature, double alpha, double learningRate, long seed) {
        INDArray w = outputLayerOf(generalist).getParam("W");
        MultiLayerNetwork net = new TransferLearning.Builder(generalist)
                .fineTuneConfiguration(fineTuning(learningRate, seed))
                .removeOutputLayer()
                .addLayer(outputLayer(w.size(0), reduction, temperature, alpha))
                .build();
        copyReducedOutput(outputLayerOf(generalist), outputLayerOf(net), reduction);
        return net;
    }

    public static ComputationGraph fromGeneralist(ComputationGraph generalist, ClassReduction reduction,
                                                  double temperature, double alpha, double learningRate, long seed) {
        String output = ResidualNetworks.OUTPUT;
        if (generalist.getLayer(output) == null || generalist.getConfiguration().getNetworkOutputs().size() != 1) {
            throw new IllegalArgumentException("a generalist graph needs one network output, the layer '" + output + "'");
        }
        List<String> inputs = generalist.getConfiguration().getVertexInputs().get(output);
        INDArray w = outputLayerOf(generalist).getParam("W");
        ComputationGraph net = new TransferLearning.GraphBuilder(generalist)
                .fineTuneConfiguration(fineTuning(learningRate, seed))
                .removeVertexAndConnections(output)
                .addLayer(output, outputLayer(w.size(0), reduction, temperature, alpha), inputs.toArray(String[]::new))
                .setOutputs(output)
                .build();
        copyReducedOutput(outputLayerOf(generalist), outputLayerOf(net), reduction);
        return net;
    }

    /** The output layer of a generalist or specialist: a MultiLayerNetwork's last, a residual graph's {@code output}. */
    public static Layer outputLayerOf(Model network) {
        if (network instanceof ComputationGraph graph) {
            return graph.getLayer(ResidualNetworks.OUTPUT);
        }
        MultiLayerNetwork net = (MultiLayerNetwork) network;
        return net.getLayer(net.getnLayers() - 1);
    }

    private static FineTuneConfiguration fineTuning(double learningRate, long seed) {
        return new FineTuneConfiguration.Builder().updater(new Adam(learningRate)).seed(seed).build();
    }

    private static OutputLayer outputLayer(long nIn, ClassReduction reduction, double temperature, double alpha) {
        return new OutputLayer.Builder(new KnowledgeDistillationLoss(temperature, alpha, reduction.size()))
                .nIn(nIn).nOut(reduction.size()).activation(Activation.IDENTITY).build();
    }

    private static void copyReducedOutput(Layer from, Layer to, ClassReduction reduction) {
        INDArray w = from.getParam("W");
        INDArray b = from.getParam("b");
        if (w.size(1) != reduction.fullClasses()) {
            throw new IllegalArgumentException("the generalist has " + w.size(1) + " classes, the specialist's "
                    + "reduction expects " + reduction.fullClasses());
        }
        int own = reduction.size() - 1;
        INDArray newW = Nd4j.create(w.dataType(), w.size(0), reduction.size());
        INDArray newB = Nd4j.create(b.dataType(), 1, reduction.size());
        INDArray restW = Nd4j.zeros(w.dataType(), w.size(0), 1);
        double restExp = 0;
        int rest = 0;
        for (int k = 0; k < w.size(1); k++) {
            int c = reduction.reducedClass(k);
            if (c < own) {
                newW.putColumn(c, w.getColumn(k));
                newB.putScalar(c, b.getDouble(k));
            } else {
                restW.addi(w.getColumn(k).reshape(w.size(0), 1));
                restExp += Math.exp(b.getDouble(k));
                rest++;
            }
        }
        newW.putColumn(own, restW.divi(rest));
        newB.putScalar(own, Math.log(restExp));
        to.setParam("W", newW);
        to.setParam("b", newB.reshape(to.getParam("b").shape()));
    }
}
