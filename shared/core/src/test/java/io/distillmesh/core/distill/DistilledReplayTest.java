package io.distillmesh.core.distill;

import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.engine.LossGradients;
import io.distillmesh.core.model.ModelSpec;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DistilledReplayTest {

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "lenet"})
    void replayReproducesTheInnerLoopExactly(String network) {
        LabelledImages real = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(100);
        ModelSpec spec = network.equals("mlp") ? ModelSpec.mlp(1, 16) : ModelSpec.lenet(1);
        InitSampler init = new InitSampler(InitSpec.fixed(spec, 11), null);
        DistillationSchedule schedule = new DistillationSchedule(1, 2, 2, 10);
        DistilledData data = DistilledData.initialise(schedule, ImageShape.MNIST, ImageInit.REAL, real, 0, 0,
                0.02, 5, DataType.FLOAT);
        DistillationResult result = new DatasetDistiller(init, new ClassificationObjective(new RealBatches(real, 20, 1)),
                DistillerConfig.of(2, LearningRateSchedule.constant(0.01)))
                .run(data, DistillationListener.NONE);

        // θ_T exactly as the distiller's inner loop computes it on the final distilled data
        InnerLoop inner = new InnerLoop(new LossGradients(init.newNetwork()));
        INDArray theta0 = init.draws(0).get(0);
        float[] expected = inner.unroll(theta0, data.steps()).last().data().asFloat();

        MultiLayerNetwork replayed = DistilledReplay.train(result.distilled(), null, 0);
        assertArrayEquals(expected, replayed.params().dup().data().asFloat(), "replay of the in-memory set");

        DistilledSet fromFile = DistilledArtifact.decode(DistilledArtifact.encode(result.distilled(),
                Provenance.of("test", "classification", "{}"))).set();
        MultiLayerNetwork replayedFromFile = DistilledReplay.train(fromFile, null, 0);
        assertArrayEquals(expected, replayedFromFile.params().dup().data().asFloat(), "replay of the decoded artifact");

        assertFalse(java.util.Arrays.equals(theta0.data().asFloat(), expected), "training moved the parameters");
    }
}
