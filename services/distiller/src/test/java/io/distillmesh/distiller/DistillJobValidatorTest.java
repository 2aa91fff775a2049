package io.distillmesh.distiller;

import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillJobValidatorTest {
    private static final long BUDGET = 512L * 1024 * 1024;
    @TempDir
    Path models;

    private DistillJobValidator validator() {
        return new DistillJobValidator(models, BUDGET);
    }

    private static JsonObject tinyMlp() {
        return new JsonObject().put("network", "mlp").put("hidden", new JsonArray().add(16)).put("steps", 2)
                .put("epochs", 1).put("iterations", 3).put("realBatch", 64);
    }

    private void assertRefused(JsonObject body, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> validator().validate(DistillJobSpec.fromJson(body)), body.encode());
        assertTrue(e.getMessage().contains(reason), "expected '" + reason + "' in: " + e.getMessage());
    }

    @Test
    void aSmallSpecIsPlannedWithItsNamesResolved() {
        DistillPlan plan = validator().validate(DistillJobSpec.fromJson(tinyMlp()));
        assertEquals(ModelSpec.mlp(42, 16), plan.network());
        assertEquals(InitMode.FIXED, plan.initMode());
        assertTrue(plan.memoryEstimateBytes() > 0 && plan.memoryEstimateBytes() < BUDGET);
        assertEquals(ModelSpec.lenet(7), validator().validate(DistillJobSpec.fromJson(new JsonObject().put("seed", 7)))
                .network(), "the default network is the paper's LeNet");
    }

    @Test
    void keepingTheBestSetNeedsHeldOutImagesInitsToReplayAndAnAccuracyToChooseBy() {
        assertRefused(tinyMlp().put("keepBestEvery", -1), "keepBestEvery must be 0");
        assertRefused(tinyMlp().put("keepBestEvery", 2).put("validation", 50), "validation (the training images held"
                + " out to score the set on) must be in 100..30000, got 50");
        assertRefused(tinyMlp().put("keepBestEvery", 2).put("validation", 30_001), "must be in 100..30000");
        assertRefused(tinyMlp().put("keepBestEvery", 2).put("validation", 30_000).put("realBatch", 30_001),
                "realBatch 30001 is more than the 30000 training images left");
        assertRefused(tinyMlp().put("keepBestEvery", 2).put("validationInits", 3),
                "validationInits must be in 1..1 (init fixed replays its one init)");
        assertRefused(tinyMlp().put("init", "random").put("keepBestEvery", 2).put("validationInits", 21),
                "validationInits must be in 1..20");
        assertRefused(tinyMlp().put("keepBestEvery", 2).put("objective", "poisoning").put("init", "fixed-pretrained")
                        .put("pretrained", new JsonArray().add("source.zip")),
                "not what a poisoning set is for");
        assertRefused(new JsonObject().put("objective", "distribution-matching").put("keepBestEvery", 5),
                "keepBestEvery applies to Wang's objectives only");
        assertRefused(tinyMlp().put("validation", -5), "must be in 100..30000, got -5");
        assertRefused(tinyMlp().put("validationInits", 3), "validationInits must be in 1..1");
        assertRefused(tinyMlp().put("keepBestEvery", 2).put("validation", 30_000).put("imageInit", "real")
                .put("steps", 10).put("imagesPerClass", 500), "keepBestEvery leaves about 2850 of each");
        assertRefused(new JsonObject().put("init", "random").put("keepBestEvery", 2).put("validation", 30_000)
                .put("validationInits", 20).put("steps", 1), "each keepBestEvery check (validationInits = 20 replays of"
                + " S·E = 3 steps, each scored on validation = 30000 images) takes at least");
        DistillPlan plan = validator().validate(DistillJobSpec.fromJson(tinyMlp().put("init", "random")
                .put("keepBestEvery", 2).put("validation", 500).put("validationInits", 2)));
        assertEquals(2, plan.spec().validationInits());
        assertEquals(1, DistillJobSpec.fromJson(tinyMlp().put("init", "random-pretrained")
                .put("pretrained", new JsonArray().add("a.zip"))).validationInits(), "no more inits than the pool has");
    }

    @Test
    void sizesThatCannotTrainAreRefused() {
        assertRefused(tinyMlp().put("imagesPerClass", 0), "imagesPerClass must be at least 1, got 0");
        assertRefused(tinyMlp().put("imagesPerClass", -3), "imagesPerClass must be at least 1, got -3");
        assertRefused(tinyMlp().put("steps", 0), "steps must be at least 1");
        assertRefused(tinyMlp().put("epochs", -1), "epochs must be at least 1");
        assertRefused(tinyMlp().put("iterations", 0), "iterations must be at least 1");
        assertRefused(tinyMlp().put("realBatch", 0), "realBatch must be in 1..60000");
        assertRefused(tinyMlp().put("realBatch", 60_001), "realBatch must be in 1..60000");
        assertRefused(tinyMlp().put("hidden", new JsonArray().add(16).add(0)), "hidden widths must be positive");
        assertRefused(tinyMlp().put("initialStep", 0.0), "initialStep must be positive and finite");
        assertRefused(tinyMlp().put("learningRate", -0.1), "learningRate must be positive and finite");
        assertRefused(tinyMlp().put("lrDecay", 1.5), "lrDecay must be in (0, 1]");
    }

    @Test
    void unknownNamesAreRefusedWithWhatIsKnown() {
        assertRefused(tinyMlp().put("network", "resnet"), "unknown network 'resnet', known: [mlp, lenet]");
        assertRefused(tinyMlp().put("objective", "compression"), "unknown objective 'compression'");
        assertRefused(tinyMlp().put("init", "zeros"), "unknown init mode 'zeros'");
        assertRefused(tinyMlp().put("dataset", "cifar-10"), "unknown data set 'cifar-10'");
        assertRefused(tinyMlp().put("imageInit", "blank"), "unknown image init 'blank'");
        assertRefused(new JsonObject().put("network", "lenet").put("hidden", new JsonArray().add(10)),
                "hidden widths apply to the mlp only");
    }

    @Test
    void aTrajectoryBeyondTheMemoryBudgetIsRefusedBeforeItStarts() {
        assertRefused(new JsonObject().put("network", "lenet").put("steps", 1000).put("epochs", 100),
                "S·E = 1000·100 = 100000 unrolled steps of cnn-6-16-120-84-10 (44426 parameters)");
        assertRefused(tinyMlp().put("steps", 2_000_000_000).put("epochs", 2_000_000_000), "more than the memory budget of 512 MiB");
        long bytes = TrajectoryMemory.bytes(ModelSpec.lenet(1), 1, 10, 3, 1024);
        assertTrue(bytes > 30L * 2 * 44426 * 4 && bytes < BUDGET, "the paper's 10×3 LeNet schedule fits: " + bytes);
    }

    @Test
    void theDemoThePapersScheduleAndTheDocumentedJobsFitTheBounds() {
        JsonObject demo = new JsonObject().put("network", "lenet").put("imagesPerClass", 1).put("steps", 1)
                .put("epochs", 3).put("imageInit", "real").put("iterations", 300).put("realBatch", 256);
        JsonObject paper = new JsonObject().put("network", "lenet").put("imagesPerClass", 1).put("steps", 1)
                .put("epochs", 3).put("iterations", 4720).put("realBatch", 1024).put("lrDecayEvery", 1600);
        JsonObject readme = new JsonObject().put("network", "mlp").put("hidden", new JsonArray().add(128))
                .put("steps", 10).put("epochs", 3).put("iterations", 200).put("realBatch", 256);
        JsonObject random = readme.copy().put("imagesPerClass", 10).put("steps", 1).put("init", "random")
                .put("modelsPerIteration", 4).put("iterations", 400).put("realBatch", 512);
        JsonObject millionTiny = tinyMlp().put("steps", 3).put("iterations", 1_000_000);
        for (JsonObject spec : List.of(demo, paper, readme, random, millionTiny)) {
            validator().validate(DistillJobSpec.fromJson(spec));
        }
    }

    @Test
    void theDurationEstimateIsBelowWhatThePapersScheduleTookOnOneCore() {
        DistillJobSpec paper = DistillJobSpec.fromJson(new JsonObject().put("network", "lenet").put("steps", 1)
                .put("epochs", 3).put("iterations", 4720).put("realBatch", 1024));
        double perIteration = new JobDuration(paper, ModelSpec.lenet(42)).jobSeconds() / 4720;
        assertTrue(perIteration > 0.05 && perIteration < 0.148, "docs/BENCHMARKS.md measured 0.148 s: " + perIteration);
        assertEquals(281_640, new JobDuration(paper, ModelSpec.lenet(42)).multiplyAdds(), "LeNet's forward pass");
    }

    @Test
    void sizesBeyondWhatTheWorkerCanHoldAreRefusedWithTheBound() {
        assertRefused(tinyMlp().put("iterations", 1_000_001), "iterations must be at most 1000000, got 1000001");
        assertRefused(tinyMlp().put("imagesPerClass", 6001), "imagesPerClass must be at most 6000");
        assertRefused(tinyMlp().put("hidden", new JsonArray(List.of(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1))),
                "hidden has 17 layers, at most 16");
        assertRefused(tinyMlp().put("hidden", new JsonArray().add(65_537)), "hidden widths must be at most 65536");
        assertRefused(tinyMlp().put("imageInit", "real").put("imagesPerClass", 3001), "= 2·3001 = 6002 real images");
        assertRefused(tinyMlp().put("init", "random").put("modelsPerIteration", 100_000), "modelsPerIteration = 100000");
        assertRefused(tinyMlp().put("init", "random").put("modelsPerIteration", 100_000).put("hidden",
                new JsonArray().add(1)).put("iterations", 1_000_000), "more than the 24 h a job may take");
        assertTrue(TrajectoryMemory.bytes(ModelSpec.lenet(1), 1, 10, 3, 1024, 4)
                > TrajectoryMemory.bytes(ModelSpec.lenet(1), 1, 10, 3, 1024), "an iteration's inits are held at once");
    }

    @Test
    void theParameterCountIsTheNetworksOwn() {
        for (ModelSpec spec : List.of(ModelSpec.lenet(1), ModelSpec.mlp(1, 16), ModelSpec.mlp(1, 32, 8), ModelSpec.mlp(1))) {
            assertEquals(ModelZoo.classifier(spec).numParams(), TrajectoryMemory.parameters(spec), spec.describe());
        }
    }

    @Test
    void classesAndObjectivesMustFitTogether() throws IOException {
        Files.writeString(models.resolve("source.zip"), "a model file");
        JsonObject poisoning = tinyMlp().put("objective", "poisoning").put("init", "fixed-pretrained")
                .put("pretrained", new JsonArray().add("source.zip"));
        assertEquals(List.of(models.resolve("source.zip")), validator().validate(DistillJobSpec.fromJson(poisoning))
                .pretrainedFiles());
        assertRefused(poisoning.copy().put("attackClass", 10), "attackClass must be a class in 0..9, got 10");
        assertRefused(poisoning.copy().put("targetClass", -1), "targetClass must be a class in 0..9, got -1");
        assertRefused(poisoning.copy().put("attackClass", 3).put("targetClass", 3), "must differ");
        assertRefused(tinyMlp().put("objective", "poisoning"), "poisoning starts from pretrained models");
        assertRefused(tinyMlp().put("objective", "adaptation"), "adaptation starts from pretrained models");
        assertRefused(tinyMlp().put("modelsPerIteration", 4), "needs a random init mode");
        assertRefused(tinyMlp().put("modelsPerIteration", 0), "modelsPerIteration must be at least 1");
    }

    @Test
    void pretrainedModelsMustBeFilesInTheModelsDirectory() {
        JsonObject pretrained = tinyMlp().put("init", "random-pretrained");
        assertRefused(pretrained, "init random-pretrained needs pretrained model files");
        assertRefused(pretrained.copy().put("pretrained", new JsonArray().add("absent.zip")),
                "pretrained model file not found: absent.zip");
        assertRefused(pretrained.copy().put("pretrained", new JsonArray().add("../../etc/passwd")),
                "pretrained models are named by file");
        assertRefused(tinyMlp().put("pretrained", new JsonArray().add("absent.zip")), "would be ignored");
    }
}
