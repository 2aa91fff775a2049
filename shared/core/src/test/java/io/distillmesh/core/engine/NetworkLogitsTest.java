package io.distillmesh.core.engine;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.List;
import java.util.stream.IntStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossKLD;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logits from the hand-written forward pass equal DL4J's pre-activation of the output layer. */
class NetworkLogitsTest {
    private static INDArray images;

    @BeforeAll
    static void load() {
        LabelledImages test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST);
        images = test.features(IntStream.range(0, 300).toArray());
    }

    @Test
    void lenetLogitsMatchDl4jsAndTakeTheHandWrittenPassWithOneDnn() {
        MultiLayerNetwork lenet = trainedABit(ModelZoo.classifier(ModelSpec.lenet(3)));
        NetworkLogits logits = NetworkLogits.of(lenet);
        assertEquals(NativeKernels.hasOneDnn() ? "hand-written" : "dl4j", logits.engine());
        assertClose(dl4jLogits(lenet, images), logits.logits(images));
    }

    @Test
    void mlpLogitsMatchDl4js() {
        MultiLayerNetwork mlp = trainedABit(ModelZoo.classifier(ModelSpec.mlp(5, 64, 32)));
        NetworkLogits logits = NetworkLogits.of(mlp);
        assertEquals("hand-written", logits.engine());
        assertClose(dl4jLogits(mlp, images), logits.logits(images));
    }

    @Test
    void aStudentWithAnIdentityOutputAndAnotherLossIsReadForItsLogits() {
        MultiLayerNetwork student = ModelZoo.build(ModelSpec.mlp(9, 32), new LossKLD(), Activation.IDENTITY);
        NetworkLogits logits = NetworkLogits.of(student);
        assertEquals("hand-written", logits.engine());
        assertClose(dl4jLogits(student, images), logits.logits(images));
        assertEquals("dl4j", new LossGradients(student).engine(), "gradients still need the softmax cross-entropy output");
    }

    @Test
    void logitsFollowTheNetworksCurrentParameters() {
        MultiLayerNetwork mlp = ModelZoo.classifier(ModelSpec.mlp(5, 16));
        NetworkLogits logits = NetworkLogits.of(mlp);
        INDArray before = logits.logits(images);
        mlp.setParams(Nd4j.rand(mlp.params().dataType(), mlp.params().shape()).subi(0.5));
        INDArray after = logits.logits(images);
        assertTrue(before.sub(after).norm2Number().doubleValue() > 1e-3);
        assertClose(dl4jLogits(mlp, images), after);
    }

    private static MultiLayerNetwork trainedABit(MultiLayerNetwork net) {
        LabelledImages train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(256);
        int[] ids = IntStream.range(0, train.size()).toArray();
        for (int i = 0; i < 3; i++) {
            net.fit(train.features(ids), train.oneHot(ids));
        }
        return net;
    }

    private static INDArray dl4jLogits(MultiLayerNetwork net, INDArray x) {
        int last = net.getnLayers() - 1;
        List<INDArray> activations = net.feedForwardToLayer(last - 1, x, false);
        INDArray hidden = activations.get(activations.size() - 1);
        Layer output = net.getLayer(last);
        return hidden.reshape(hidden.size(0), output.getParam("W").size(0)).mmul(output.getParam("W"))
                .addiRowVector(output.getParam("b"));
    }

    private static void assertClose(INDArray expected, INDArray actual) {
        assertEquals(List.of(expected.shape()[0], expected.shape()[1]), List.of(actual.shape()[0], actual.shape()[1]));
        double error = expected.sub(actual).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
        assertTrue(error < 1e-5, "relative difference " + error);
    }
}
