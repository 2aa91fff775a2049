package io.distillmesh.evaluator;

import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.ClassificationObjective;
import io.distillmesh.core.distill.DatasetDistiller;
import io.distillmesh.core.distill.DistillationListener;
import io.distillmesh.core.distill.DistillationObjective;
import io.distillmesh.core.distill.DistillationResult;
import io.distillmesh.core.distill.DistillationSchedule;
import io.distillmesh.core.distill.DistilledData;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.DistillerConfig;
import io.distillmesh.core.distill.ImageInit;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.distill.PoisoningObjective;
import io.distillmesh.core.distill.PretrainedPool;
import io.distillmesh.core.distill.RealBatches;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.train.ProgressListener;
import io.distillmesh.core.train.SupervisedTrainer;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.distillmesh.messaging.records.DistilledSetRecord;
import io.vertx.core.json.JsonObject;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real distilled sets for the tests, made by core's DatasetDistiller on real Fashion-MNIST training images: a small
 * MLP, 1 image per class × 2 steps × 2 epochs, a few meta-iterations. Written as DMDS artifacts into the artifact
 * directory and announced with the records a distiller publishes.
 */
final class TinyDistilledSets {
    static final DistillationSchedule SCHEDULE = new DistillationSchedule(1, 2, 2, 10);
    static final long SEED = 7;

    /** A distilled set, where its artifact is, and the progress reports of its meta-iterations. */
    record Made(String jobId, Path artifact, DistilledSet set, String objective, List<DistillProgressRecord> progress,
                PretrainedPool pool) {
        DistilledSetRecord announcement() {
            DistillProgressRecord last = progress.get(progress.size() - 1);
            return new DistilledSetRecord(jobId, artifact.toString(), sha256(), null, objective, SCHEDULE.imagesPerClass(),
                    SCHEDULE.steps(), SCHEDULE.epochs(), progress.size(), last.metaLoss(), set.stepSizes(),
                    new JsonObject().put("network", "mlp").put("iterations", progress.size()));
        }

        String sha256() {
            return DistilledArtifact.read(artifact).sha256();
        }
    }

    private TinyDistilledSets() {
    }

    static LabelledImages train(int n) {
        return TinyStudents.train(n);
    }

    /** A classification set for random inits of an MLP 784-32-10. */
    static Made classification(String jobId, Path artifacts, int iterations) {
        InitSampler init = new InitSampler(InitSpec.random(ModelSpec.mlp(SEED, 32), SEED, 1), null);
        LabelledImages real = train(2000);
        return distil(jobId, artifacts, init, new ClassificationObjective(new RealBatches(real, 200, SEED)), iterations,
                PretrainedPool.EMPTY);
    }

    /** A poisoning set (ankle boots taken for sneakers) for one MLP pretrained here and saved in the artifact directory. */
    static Made poisoning(String jobId, Path artifacts, int iterations) throws IOException {
        ModelSpec spec = ModelSpec.mlp(SEED, 32);
        MultiLayerNetwork pretrained = ModelZoo.classifier(spec);
        new SupervisedTrainer(1, 64, SEED).fit(pretrained, train(3000), ProgressListener.NONE);
        Path model = artifacts.resolve("pretrained").resolve("mlp-32.zip");
        Files.createDirectories(model.getParent());
        ModelSerializer.writeModel(pretrained, model.toFile(), false);
        PretrainedPool pool = PretrainedPool.fromModelFiles(List.of(model));
        InitSpec initSpec = new InitSpec(spec, InitMode.FIXED_PRETRAINED, SEED, 1, List.of(model.toString()), "FLOAT");
        LabelledImages real = train(2000);
        return distil(jobId, artifacts, new InitSampler(initSpec, pool),
                new PoisoningObjective(new RealBatches(real, 200, SEED), 9, 7), iterations, pool);
    }

    private static Made distil(String jobId, Path artifacts, InitSampler init, DistillationObjective objective,
                               int iterations, PretrainedPool pool) {
        DistilledData data = DistilledData.initialise(SCHEDULE, ImageShape.MNIST, ImageInit.REAL, train(2000), 0, 0,
                0.02, SEED, DataType.FLOAT);
        List<DistillProgressRecord> progress = new ArrayList<>();
        DistillationListener listener = p -> progress.add(new DistillProgressRecord(jobId, "RUNNING", p.iteration(),
                p.iterations(), p.metaLoss(), p.stepSizes(), 1.0, null));
        DistillationResult result = new DatasetDistiller(init, objective,
                DistillerConfig.of(iterations, LearningRateSchedule.constant(0.01))).run(data, listener);
        Path artifact = artifacts.resolve("distilled").resolve(jobId + ".dmds");
        DistilledArtifact.write(result.distilled(), Provenance.of("evaluator test", objective.name(),
                "{\"jobId\":\"" + jobId + "\"}"), artifact);
        return new Made(jobId, artifact, result.distilled(), objective.name(), progress, pool);
    }
}
