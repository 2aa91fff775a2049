package io.distillmesh.core.model;

import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The project's instance-normalisation layer in DL4J: it normalises each map, and saves and loads as DL4J files do. */
class InstanceNormalizationTest {
    @Test
    void eachMapIsNormalisedThenScaledAndShifted() {
        MultiLayerNetwork net = ModelZoo.classifier(ModelSpec.convNet(3, 4, 1));
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 784);
        INDArray normalised = net.feedForwardToLayer(1, x).get(2);
        INDArray maps = normalised.reshape('c', 2 * 4, 28 * 28);
        assertTrue(maps.mean(1).amaxNumber().doubleValue() < 1e-4, "each map has mean 0");
        INDArray variance = maps.var(false, 1);
        assertTrue(variance.sub(1).amaxNumber().doubleValue() < 1e-3, "and variance 1 (γ = 1, β = 0 at init)");
    }

    @Test
    void aConvNetSavesAndLoadsWithItsLayerAndParameters(@TempDir Path dir) throws Exception {
        MultiLayerNetwork net = ModelZoo.classifier(ModelSpec.convNet(3, 4, 3));
        net.params().addi(Nd4j.rand(DataType.FLOAT, net.params().shape()).muli(0.01));
        File file = dir.resolve("convnet.zip").toFile();
        ModelSerializer.writeModel(net, file, false);
        MultiLayerNetwork loaded = ModelSerializer.restoreMultiLayerNetwork(file, false);
        assertTrue(loaded.getLayerWiseConfigurations().getConf(1).getLayer() instanceof InstanceNormalization);
        assertEquals(net.params(), loaded.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 784);
        assertTrue(net.output(x).equalsWithEps(loaded.output(x), 1e-6));
    }

    @Test
    void refusesANonPositiveEpsilonAndNonConvolutionalInput() {
        assertThrows(IllegalArgumentException.class, () -> new InstanceNormalization(0));
        assertThrows(IllegalArgumentException.class, () -> new InstanceNormalization()
                .setNIn(org.deeplearning4j.nn.conf.inputs.InputType.feedForward(10), true));
    }
}
