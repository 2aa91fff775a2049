package io.distillmesh.core.fsp;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.GraphTrainer;
import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.core.model.ResidualNetworks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FspStudentGraphTest {
    private static final int[] WIDTHS = {4, 6, 8};
    private static final List<FspPair> STAGES = List.of(new FspPair("stem", "stage1"),
            new FspPair("s2b0_conv1", "stage2"), new FspPair("s3b0_conv1", "stage3"));

    @Test
    void graphGradientOfTheFspLossMatchesFiniteDifferencesInDoublePrecision() {
        ResNetSpec student = ResNetSpec.of(3, new int[]{1, 1, 1}, new int[]{2, 3, 2});
        FspStudentGraph fsp = new FspStudentGraph(student, STAGES, 0.5);
        ComputationGraph graph = fsp.graph().convertDataType(DataType.DOUBLE);
        Random rnd = new Random(2);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 784);
        List<INDArray> teacher = new ArrayList<>();
        for (long c : new long[]{2, 3, 2}) {
            teacher.add(Nd4j.rand(DataType.DOUBLE, 2, c, c).muli(0.1));
        }
        MultiDataSet batch = fsp.batch(x, teacher, DataType.DOUBLE);
        graph.setInputs(batch.getFeatures());
        graph.setLabels(batch.getLabels());
        graph.computeGradientAndScore();
        // DL4J's gradient is for the sum over the minibatch, its score the mean
        INDArray analytic = graph.gradient().gradient().dup().divi(x.size(0));
        INDArray params = graph.params();
        double h = 1e-6;
        double maxRel = 0;
        for (int k = 0; k < 60; k++) {
            int p = rnd.nextInt((int) params.length());
            double original = params.getDouble(p);
            params.putScalar(p, original + h);
            double plus = graph.score(batch, false);
            params.putScalar(p, original - h);
            double minus = graph.score(batch, false);
            params.putScalar(p, original);
            double numeric = (plus - minus) / (2 * h);
            double a = analytic.getDouble(p);
            if (Math.abs(a) + Math.abs(numeric) > 1e-9) {
                maxRel = Math.max(maxRel, Math.abs(a - numeric) / (Math.abs(a) + Math.abs(numeric)));
            }
        }
        assertTrue(maxRel <= 1e-4, "max relative error " + maxRel);
    }

    @Test
    void stageOneTrainsOnTheEngineWithDl4jsGradientAndSteps() {
        for (boolean batchNorm : new boolean[]{false, true}) {
            ResNetSpec spec = ResNetSpec.of(3, new int[]{1, 1, 1}, new int[]{2, 3, 2});
            // batch-normalised with SGD: Adam would blow the rounding noise of gradients that are 0 in exact
            // arithmetic (biases followed by batch norm) up to full steps, different in DL4J and the engine
            FspStudentGraph fsp = new FspStudentGraph(batchNorm ? spec.withBatchNorm().withNesterovs(0.9, 0) : spec,
                    STAGES, 0.5);
            String what = batchNorm ? "with batch norm" : "plain";
            assertEquals(TrainingStep.ENGINE_GRAPH, fsp.trainingPath(), what);

            ComputationGraph graph = fsp.graph().convertDataType(DataType.DOUBLE);
            MultiDataSet batch = fsp.batch(Nd4j.rand(DataType.DOUBLE, 3, 784), teacherMatrices(3, 5), DataType.DOUBLE);
            graph.setInputs(batch.getFeatures());
            graph.setLabels(batch.getLabels());
            graph.computeGradientAndScore();
            INDArray expected = graph.gradient().gradient().dup();
            INDArray actual = Nd4j.create(DataType.DOUBLE, graph.numParams());
            double loss = GraphTrainer.of(graph).lossAndGradient(batch.getFeatures(0), batch.getLabels(), actual);
            assertEquals(graph.score(), loss, 1e-10 * graph.score(), what + " loss");
            if (!batchNorm) {
                expected.divi(3);
                double error = expected.sub(actual).norm2Number().doubleValue() / expected.norm2Number().doubleValue();
                assertTrue(error < 1e-6, what + " gradient relative error " + error);
            }

            ComputationGraph viaFit = fsp.graph().clone();
            ComputationGraph viaEngine = viaFit.clone();
            GraphTrainer trainer = GraphTrainer.of(viaEngine);
            for (int step = 0; step < 3; step++) {
                MultiDataSet b = fsp.batch(Nd4j.rand(DataType.FLOAT, 4, 784), teacherMatrices(4, 10 + step),
                        DataType.FLOAT);
                viaFit.fit(b);
                assertEquals(viaFit.score(), trainer.step(b.getFeatures(0), b.getLabels()),
                        1e-5 * Math.max(1, viaFit.score()), what + " loss of step " + step);
            }
            INDArray difference = viaFit.params().sub(viaEngine.params());
            assertTrue(difference.amaxNumber().doubleValue() < 1e-4, what + " parameters differ by "
                    + difference.amaxNumber());
        }
    }

    private static List<INDArray> teacherMatrices(int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        List<INDArray> teacher = new ArrayList<>();
        for (long c : new long[]{2, 3, 2}) {
            teacher.add(Nd4j.rand(DataType.DOUBLE, n, c, c).muli(0.1));
        }
        return teacher;
    }

    @Test
    void stageOneLowersTheFspLossOnFashionMnistAndHandsItsWeightsToTheClassifier() {
        LabelledImages train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(128);
        ResidualTeacher teacher = new ResidualTeacher(ModelZoo.resnetClassifier(ResNetSpec.of(11, new int[]{2, 2, 2}, WIDTHS)),
                "random-teacher");
        ResNetSpec studentSpec = ResNetSpec.of(12, new int[]{1, 1, 1}, WIDTHS).withLearningRate(3e-3);
        FspStudentGraph student = new FspStudentGraph(studentSpec, STAGES, 1.0);
        int[] all = new int[train.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        INDArray x = train.features(all);
        List<INDArray> targets = teacher.forward(x, 1.0, STAGES).fspMatrices();
        double before = student.loss(x, targets);
        for (int step = 0; step < 24; step++) {
            int from = (step % 4) * 32;
            int[] ids = Arrays.copyOfRange(all, from, from + 32);
            List<INDArray> batchTargets = new ArrayList<>();
            for (INDArray g : targets) {
                batchTargets.add(g.get(NDArrayIndex.interval(from, from + 32)));
            }
            student.fit(train.features(ids), batchTargets);
        }
        double after = student.loss(x, targets);
        assertTrue(after < 0.5 * before, "FSP loss " + before + " -> " + after);

        ComputationGraph classifier = ModelZoo.resnetClassifier(studentSpec.withSeed(99));
        student.transferTo(classifier);
        INDArray fromStageOne = student.graph().feedForward(x, false).get("stage3");
        INDArray fromClassifier = classifier.feedForward(x, false).get("stage3");
        assertArrayEquals(fromStageOne.data().asFloat(), fromClassifier.data().asFloat(), 1e-6f);
    }

    @Test
    void refusesPairsThatCannotMakeAnFspMatrix() {
        ResNetSpec spec = ResNetSpec.of(1, new int[]{1, 1, 1}, WIDTHS);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FspStudentGraph(spec, List.of(new FspPair("stem", "stage2")), 1));
        assertTrue(e.getMessage().contains("different sizes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new FspStudentGraph(spec, List.of(new FspPair("stem", "dense")), 1));
        assertTrue(e.getMessage().contains("not a feature map"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new FspStudentGraph(spec, List.of(new FspPair("stem", "s1b3_out")), 1));
        assertTrue(e.getMessage().contains("has 1 blocks"), e.getMessage());
        assertEquals(STAGES, List.of(new FspPair(ResidualNetworks.stageEntry(1), ResidualNetworks.stageExit(1)),
                new FspPair(ResidualNetworks.stageEntry(2), ResidualNetworks.stageExit(2)),
                new FspPair(ResidualNetworks.stageEntry(3), ResidualNetworks.stageExit(3))));
    }
}
