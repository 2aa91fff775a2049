package io.distillmesh.core.model;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResidualNetworksTest {
    private static final int[] WIDTHS = {4, 8, 8};

    @Test
    void teacherAndStudentShareStageShapesButNotDepth() {
        ResNetSpec teacherSpec = ResNetSpec.of(1, new int[]{2, 2, 2}, WIDTHS);
        ResNetSpec studentSpec = ResNetSpec.of(1, new int[]{1, 1, 1}, WIDTHS);
        assertEquals(14, teacherSpec.depth());
        assertEquals(8, studentSpec.depth());
        assertEquals("resnet8-4-8-8", studentSpec.describe());
        ComputationGraph teacher = ModelZoo.resnetClassifier(teacherSpec);
        ComputationGraph student = ModelZoo.resnetClassifier(studentSpec);
        assertTrue(teacher.numParams() > student.numParams());
        INDArray x = images(3);
        Map<String, INDArray> t = teacher.feedForward(x, false);
        Map<String, INDArray> s = student.feedForward(x, false);
        for (int k = 1; k <= 3; k++) {
            for (String vertex : new String[]{ResidualNetworks.stageEntry(k), ResidualNetworks.stageExit(k)}) {
                assertArrayEquals(t.get(vertex).shape(), s.get(vertex).shape(), vertex);
                long side = 28 >> (k - 1);
                assertArrayEquals(new long[]{3, WIDTHS[k - 1], side, side}, s.get(vertex).shape(), vertex);
            }
        }
        assertArrayEquals(new long[]{3, 10}, student.outputSingle(x).shape());

        ComputationGraph halved = ModelZoo.resnetClassifier(studentSpec.withStemStride(2));
        Map<String, INDArray> h = halved.feedForward(x, false);
        for (int k = 1; k <= 3; k++) {
            long side = studentSpec.withStemStride(2).side(k);
            assertEquals(new long[]{14, 7, 4}[k - 1], side);
            assertArrayEquals(new long[]{3, WIDTHS[k - 1], side, side}, h.get(ResidualNetworks.stageExit(k)).shape());
        }
        assertEquals("resnet8-4-8-8/2", studentSpec.withStemStride(2).describe());
    }

    @Test
    void trainingStepsLowerTheLossAndASavedNetworkRestoresWithEqualOutputs(@TempDir Path dir) throws Exception {
        ComputationGraph net = ModelZoo.resnetClassifier(ResNetSpec.of(5, new int[]{1, 1, 1}, WIDTHS));
        LabelledImages data = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(64);
        int[] ids = new int[64];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        DataSet batch = new DataSet(data.features(ids), data.oneHot(ids));
        double before = net.score(batch);
        for (int i = 0; i < 15; i++) {
            net.fit(batch);
        }
        assertTrue(net.score(batch) < before, before + " -> " + net.score(batch));
        Path file = dir.resolve("resnet.zip");
        ModelSerializer.writeModel(net, file.toFile(), true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(file.toFile(), true);
        assertArrayEquals(net.outputSingle(batch.getFeatures()).data().asFloat(),
                restored.outputSingle(batch.getFeatures()).data().asFloat(), 0f);
    }

    @Test
    void refusesSpecsItCannotBuild() {
        assertThrows(IllegalArgumentException.class, () -> ResNetSpec.of(1, new int[]{1, 1}, WIDTHS));
        assertThrows(IllegalArgumentException.class, () -> ResNetSpec.of(1, new int[]{1, 1, 1, 1}, new int[]{1, 2, 3, 4}));
        assertThrows(IllegalArgumentException.class, () -> ResNetSpec.of(1, new int[]{1, 0, 1}, WIDTHS));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResidualNetworks.featureShape(ResNetSpec.of(1, new int[]{1, 1}, new int[]{4, 8}), "stage3"));
        assertTrue(e.getMessage().contains("has 2"), e.getMessage());
    }

    private static INDArray images(int n) {
        LabelledImages data = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return data.features(ids);
    }
}
