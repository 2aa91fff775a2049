package io.distillmesh.core.distill;

import io.distillmesh.core.artifact.InitSpecJson;
import io.distillmesh.core.data.ImageTensor;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.HvpSettings;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.engine.LossGradients;
import io.distillmesh.core.engine.StepDecay;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Invalid specs are refused up front, with messages that say what is wrong. */
class DistillationInputsTest {

    @Test
    void zeroImagesPerClassIsRefused() {
        refused(() -> new DistillationSchedule(0, 1, 3, 10), "at least 1 image per class, got 0");
    }

    @Test
    void noStepsOrNoEpochsIsRefused() {
        refused(() -> new DistillationSchedule(1, 0, 3, 10), "steps × epochs must be at least 1");
        refused(() -> new DistillationSchedule(1, 3, 0, 10), "steps × epochs must be at least 1");
    }

    @Test
    void dropoutNetworksAreRefused() {
        MultiLayerNetwork withDropout = ModelZoo.classifier(ModelSpec.mlp(1, 16).withDropout(0.5));
        refused(() -> new LossGradients(withDropout), "uses dropout");
        refused(() -> InitSpec.fixed(ModelSpec.lenet(1).withDropout(0.3), 1), "uses dropout");
    }

    @Test
    void batchNormNetworksAreRefused() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(3).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().nOut(3).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        refused(() -> new LossGradients(net), "batch normalisation");
    }

    @Test
    void unknownInitModeIsRefused() {
        refused(() -> InitMode.parse("sometimes"), "unknown init mode 'sometimes'");
        String json = InitSpecJson.write(InitSpec.fixed(ModelSpec.mlp(1, 8), 1)).replace("\"FIXED\"", "\"SOMETIMES\"");
        refused(() -> InitSpecJson.read(json), "unknown init mode 'SOMETIMES'");
        assertEquals(InitMode.RANDOM_PRETRAINED, InitMode.parse("random-pretrained"));
    }

    @Test
    void initSpecsThatCannotBeReplayedAreRefused() {
        ModelSpec mlp = ModelSpec.mlp(1, 8);
        refused(() -> new InitSpec(mlp, InitMode.FIXED_PRETRAINED, 1, 1, List.of(), "FLOAT"), "needs at least one pretrained");
        refused(() -> new InitSpec(mlp, InitMode.RANDOM, 1, 1, List.of("a.zip"), "FLOAT"), "would be ignored");
        refused(() -> new InitSpec(mlp, InitMode.FIXED, 1, 2, List.of(), "FLOAT"), "needs a random init mode");
        refused(() -> new InitSpec(mlp, InitMode.FIXED, 1, 1, List.of(), "HALF"), "data type must be one of");
        refused(() -> new InitSampler(new InitSpec(mlp, InitMode.FIXED_PRETRAINED, 1, 1, List.of("missing"), "FLOAT"),
                PretrainedPool.EMPTY), "'missing' is not in the pool");
    }

    @Test
    void objectivesThatNeedPretrainedModelsRefuseRandomInits() {
        LabelledImages tiny = new LabelledImages("tiny", new ImageTensor(2, 28, 28, new byte[2 * 784]), new int[]{0, 1}, 10);
        InitSampler random = new InitSampler(InitSpec.fixed(ModelSpec.mlp(1, 8), 1), null);
        DistillerConfig config = DistillerConfig.of(1, LearningRateSchedule.constant(0.01));
        refused(() -> new DatasetDistiller(random, new PoisoningObjective(new RealBatches(tiny, 2, 1), 0, 1), config),
                "poisoning attacks a pretrained model");
        refused(() -> new DatasetDistiller(random, new AdaptationObjective(new RealBatches(tiny, 2, 1), "other"), config),
                "adaptation starts from models pretrained");
        refused(() -> new PoisoningObjective(new RealBatches(tiny, 2, 1), 3, 3), "must differ");
        refused(() -> new RealBatches(tiny, 3, 1), "real batch size must be in 1..2");
    }

    @Test
    void badOuterSettingsAreRefused() {
        refused(() -> DistillerConfig.of(0, LearningRateSchedule.constant(0.01)), "iterations must be in 1..1000000, got 0");
        refused(() -> new StepDecay(0.01, 1.5, 10), "decay factor must be in (0, 1]");
        refused(() -> new StepDecay(0.01, 0.5, 0), "k >= 1");
        refused(() -> HvpSettings.plain(0), "finite-difference scale");
        refused(() -> new HvpSettings(1e-4, 0, 2), "kink tolerance must be positive");
        refused(() -> new HvpSettings(1e-4, 0.2, -1), "retries must be >= 0");
        refused(() -> new HvpSettings(null, 1e-4, 0.2, 2), "a Hessian-vector product method is required");
        refused(() -> HvpSettings.Method.parse("newton"), "unknown Hessian-vector product method 'newton'");
    }

    private static void refused(Executable action, String messagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(messagePart), "message '" + e.getMessage() + "' should mention '" + messagePart + "'");
    }
}
