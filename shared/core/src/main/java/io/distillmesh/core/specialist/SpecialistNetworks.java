package io.distillmesh.core.specialist;

import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A specialist's starting network: the generalist with its output layer cut down to the specialist's classes plus
 * a dustbin, trained by the Hinton loss at T with weight α. The group's output columns are the generalist's; the
 * dustbin's weights are the mean of the other columns and its bias the log of the summed exponentiated biases,
 * so that the dustbin starts with about the probability the generalist gives the rest.
 */
public final class SpecialistNetworks {
    private SpecialistNetworks() {
    }

    public static MultiLayerNetwork fromGeneralist(MultiLayerNetwork generalist, ClassReduction reduction,
                                                   double temperature, double alpha, double learningRate, long seed) {
        int last = generalist.getnLayers() - 1;
        Layer output = generalist.getLayer(last);
        INDArray w = output.getParam("W");
        INDArray b = output.getParam("b");
        if (w.size(1) != reduction.fullClasses()) {
            throw new IllegalArgumentException("the generalist has " + w.size(1) + " classes, the specialist's "
                    + "reduction expects " + reduction.fullClasses());
        }
        int own = reduction.size() - 1;
        MultiLayerNetwork net = new TransferLearning.Builder(generalist)
                .fineTuneConfiguration(new FineTuneConfiguration.Builder().updater(new Adam(learningRate)).seed(seed).build())
                .removeOutputLayer()
                .addLayer(new OutputLayer.Builder(new KnowledgeDistillationLoss(temperature, alpha, reduction.size()))
                        .nIn(w.size(0)).nOut(reduction.size()).activation(Activation.IDENTITY).build())
                .build();
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
        Layer replaced = net.getLayer(last);
        replaced.setParam("W", newW);
        replaced.setParam("b", newB.reshape(replaced.getParam("b").shape()));
        return net;
    }
}
