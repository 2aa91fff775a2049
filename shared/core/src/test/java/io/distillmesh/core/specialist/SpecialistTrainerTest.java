package io.distillmesh.core.specialist;

import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.core.model.ResidualLogits;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecialistTrainerTest {
    private static final int[] UPPER_BODY = {0, 2, 4, 6};

    @Test
    void aSpecialistStartsAsTheGeneralistOnItsClassesAndTrainsOnHalfGroupHalfRest() {
        LabelledImages data = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(400);
        TeacherModel generalist = new TeacherModel(ModelZoo.classifier(ModelSpec.mlp(3, 16)), "generalist");
        SpecialistTrainer trainer = new SpecialistTrainer(1, 32, 2.0, 0.5, 1e-3, 5);
        INDArray x = data.features(new int[]{0, 1, 2});
        MultiLayerNetwork initial = (MultiLayerNetwork) trainer.initialise(generalist.network(), UPPER_BODY);
        INDArray logits = initial.output(x, false);
        INDArray generalistLogits = generalist.logits(x);
        for (int i = 0; i < UPPER_BODY.length; i++) {
            for (int row = 0; row < 3; row++) {
                assertEquals(generalistLogits.getDouble(row, UPPER_BODY[i]), logits.getDouble(row, i), 1e-5);
            }
        }

        ClassReduction reduction = new ClassReduction(UPPER_BODY, 10);
        int[] ids = SpecialistTrainer.halfAndHalf(data.labels(), reduction, 50, 5);
        long inGroup = Arrays.stream(ids).filter(i -> reduction.covers(data.labels()[i])).count();
        assertEquals(100, ids.length);
        assertEquals(50, inGroup);
        Specialist specialist = trainer.train(Generalist.of(generalist), data, UPPER_BODY, 50);
        double[][] opinions = specialist.opinions(x);
        assertEquals(5, opinions[0].length, "four classes and the dustbin");
        assertEquals(1.0, Arrays.stream(opinions[0]).sum(), 1e-5);
    }

    @Test
    void augmentedTrainingSeesOtherImagesThanPlainTraining() {
        LabelledImages data = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(400);
        TeacherModel generalist = new TeacherModel(ModelZoo.classifier(ModelSpec.mlp(3, 16)), "generalist");
        INDArray x = data.features(new int[]{0, 1, 2});
        Specialist plain = new SpecialistTrainer(1, 32, 2.0, 0.5, 1e-3, 5)
                .train(Generalist.of(generalist), data, UPPER_BODY, 50);
        Specialist again = new SpecialistTrainer(1, 32, 2.0, 0.5, 1e-3, 5, Augmentation.NONE)
                .train(Generalist.of(generalist), data, UPPER_BODY, 50);
        Specialist augmented = new SpecialistTrainer(1, 32, 2.0, 0.5, 1e-3, 5, Augmentation.parse("crop,flip"))
                .train(Generalist.of(generalist), data, UPPER_BODY, 50);
        assertEquals(plain.network().params(), again.network().params(), "no augmentation: the same training");
        assertTrue(!plain.network().params().equals(augmented.network().params()), "augmented images train otherwise");
        assertEquals(1.0, Arrays.stream(augmented.opinions(x)[0]).sum(), 1e-5);
    }

    @Test
    void aResidualGeneralistGivesAResidualSpecialistThatTheEngineTrains() {
        LabelledImages data = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(400);
        ComputationGraph resnet = ModelZoo.resnetClassifier(new ResNetSpec(new int[]{1}, new int[]{4}, 2, 1e-2, 5, 10)
                .withBatchNorm());
        Generalist generalist = Generalist.of(resnet, "resnet");
        SpecialistTrainer trainer = new SpecialistTrainer(10, 32, 2.0, 0.5, 1e-2, 5);
        INDArray x = data.features(new int[]{0, 1, 2});
        ComputationGraph initial = (ComputationGraph) trainer.initialise(resnet, UPPER_BODY);
        INDArray logits = new ResidualLogits(initial).logits(x);
        INDArray generalistLogits = generalist.logits(x);
        assertEquals(5, logits.size(1), "four classes and the dustbin");
        for (int i = 0; i < UPPER_BODY.length; i++) {
            for (int row = 0; row < 3; row++) {
                assertEquals(generalistLogits.getDouble(row, UPPER_BODY[i]), logits.getDouble(row, i), 1e-4);
            }
        }
        assertEquals(TrainingStep.ENGINE_GRAPH, TrainingStep.of(initial, "the specialist").path());

        int[] ids = IntStream.range(0, data.size()).toArray();
        INDArray all = data.features(ids);
        double[][] start = TemperatureSoftmax.softmax(new ResidualLogits(initial).logits(all), 1.0).toDoubleMatrix();
        Specialist specialist = trainer.train(generalist, data, UPPER_BODY, 100);
        double[][] opinions = specialist.opinions(all);
        assertEquals(1.0, Arrays.stream(opinions[0]).sum(), 1e-5);
        double[][] batched = specialist.opinions(data, 7);
        for (int i = 0; i < ids.length; i++) {
            assertArrayEquals(opinions[i], batched[i], 1e-6, "the set a batch at a time, image " + i);
        }
        ClassReduction reduction = new ClassReduction(UPPER_BODY, 10);
        double trainedLoss = 0;
        double startLoss = 0;
        for (int i = 0; i < ids.length; i++) {
            int c = reduction.reducedClass(data.labels()[i]);
            trainedLoss -= Math.log(opinions[i][c]);
            startLoss -= Math.log(start[i][c]);
        }
        assertTrue(trainedLoss < 0.9 * startLoss, "training lowers the specialist's cross-entropy on its data: "
                + startLoss / ids.length + " -> " + trainedLoss / ids.length);
    }
}
