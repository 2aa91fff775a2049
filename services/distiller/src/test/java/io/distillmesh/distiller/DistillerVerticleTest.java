package io.distillmesh.distiller;

import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.PretrainedPool;
import io.distillmesh.core.distill.ReplayEvaluator;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.train.ProgressListener;
import io.distillmesh.core.train.SupervisedTrainer;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.distillmesh.messaging.records.DistilledSetRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distiller over HTTP with a real broker, real Fashion-MNIST and real networks, one job at a time. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DistillerVerticleTest {
    @TempDir
    static Path work;
    private static DistillerService service;

    @BeforeAll
    static void start() throws Exception {
        service = new DistillerService(work, new JsonObject().put("progress.interval-ms", 0)
                .put("jobs.memory-budget-mb", 1024));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    /** An MLP job that takes a few seconds: 2 steps of 10 images, a real batch of 64. */
    static JsonObject tinyJob(String id, int iterations) {
        return new JsonObject().put("jobId", id).put("network", "mlp").put("hidden", new JsonArray().add(16))
                .put("imagesPerClass", 1).put("steps", 2).put("epochs", 1).put("iterations", iterations)
                .put("realBatch", 64).put("seed", 3);
    }

    @Test
    void aTinyJobSucceedsWithProgressAnArtifactItsImageAndADistilledSetRecord() throws Exception {
        HttpResponse<Buffer> created = DistillerService.send(service.post("/jobs"), tinyJob("tiny", 6));
        assertEquals(202, created.statusCode(), created.bodyAsString());
        assertEquals("tiny", created.bodyAsJsonObject().getString("jobId"));
        JsonObject done = awaitState("tiny", "SUCCEEDED");
        assertEquals(6, done.getInteger("iteration"));
        assertEquals(2, done.getJsonArray("stepSizes").size());

        Path artifact = Path.of(done.getString("artifactPath"));
        assertEquals(work.resolve("artifacts").resolve("tiny.dmds").toAbsolutePath(), artifact);
        DistilledArtifact.Stored stored = DistilledArtifact.read(artifact);
        DistilledSet set = stored.set();
        assertEquals("distiller", stored.provenance().producer());
        assertEquals("classification", stored.provenance().objective());
        assertEquals("tiny", new JsonObject(stored.provenance().jobSpec()).getString("jobId"),
                "the provenance carries the full job spec");
        assertEquals(2, set.schedule().steps());
        assertEquals(10, set.schedule().batchSize());
        assertEquals(InitMode.FIXED, set.init().mode());
        BufferedImage png = ImageIO.read(Path.of(done.getString("imagePath")).toFile());
        assertEquals(2 * (10 * (56 + 1)) / 2 + 1, png.getWidth(), "10 images of 28·2 pixels and borders");

        List<DistillProgressRecord> progress = TopicReader.readAll(service.broker.bootstrapServers(),
                Topics.DISTILL_PROGRESS, "tiny", DistillProgressRecord::decode);
        assertEquals(List.of("QUEUED", "RUNNING"), progress.subList(0, 2).stream().map(DistillProgressRecord::state).toList());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), progress.subList(2, 8).stream().map(DistillProgressRecord::iteration).toList());
        assertTrue(progress.subList(2, 8).stream().allMatch(p -> Double.isFinite(p.metaLoss()) && p.stepSizes().length == 2));
        DistillProgressRecord last = progress.get(progress.size() - 1);
        assertEquals("SUCCEEDED", last.state());
        assertEquals(9, progress.size(), "queued, running, 6 iterations, succeeded");

        List<DistilledSetRecord> distilled = TopicReader.readAll(service.broker.bootstrapServers(), Topics.DISTILLED,
                "tiny", DistilledSetRecord::decode);
        assertEquals(1, distilled.size());
        DistilledSetRecord record = distilled.get(0);
        assertEquals(artifact.toString(), record.artifactPath());
        assertEquals(done.getString("imagePath"), record.imagePath());
        assertEquals(6, record.iterations());
        assertArrayEquals(set.stepSizes(), record.stepSizes());
        assertEquals(last.metaLoss(), record.finalMetaLoss());
        assertEquals(done.getJsonObject("spec"), record.spec());

        JsonArray all = service.get("/jobs").bodyAsJsonArray();
        assertTrue(all.stream().anyMatch(j -> ((JsonObject) j).getString("jobId").equals("tiny")), all.encode());
        String metrics = service.get("/metrics").bodyAsString();
        assertTrue(metrics.contains("dm_distiller_jobs{state=\"SUCCEEDED\"}"), metrics);
        assertTrue(metrics.contains("dm_distiller_jobs_finished_total{state=\"SUCCEEDED\"}"), metrics);
        assertTrue(metrics.contains("dm_distiller_iteration_duration_seconds_count"), metrics);
        assertFalse(metrics.contains("distill_job=\"tiny\""), "a finished job's own series are gone");
    }

    @Test
    void aKeepBestJobPublishesTheSetThatScoredBestOnTheHeldOutImages() throws Exception {
        JsonObject job = tinyJob("keep-best", 6).put("init", "random").put("keepBestEvery", 2).put("validation", 500)
                .put("validationInits", 2);
        assertEquals(202, DistillerService.send(service.post("/jobs"), job).statusCode());
        JsonObject done = awaitState("keep-best", "SUCCEEDED");
        JsonObject checks = done.getJsonObject("validationChecks");
        assertEquals(3, checks.getInteger("checks"), "after iterations 2, 4 and 6: " + done.encode());
        assertTrue(List.of(2, 4, 6).contains(checks.getInteger("bestIteration")), done.encode());
        double bestAccuracy = checks.getDouble("bestAccuracy");
        assertTrue(bestAccuracy > 0.1, "six steps on ten images learn something: " + done.encode());

        DistilledSet set = DistilledArtifact.read(Path.of(done.getString("artifactPath"))).set();
        LabelledImages all = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        LabelledImages heldOut = all.slice(all.size() - 500, all.size(), "held out");
        double replayed = ReplayEvaluator.mean(new ReplayEvaluator(new InitSampler(set.init(), PretrainedPool.EMPTY),
                heldOut, DistillJobRunner.VALIDATION_FIRST_INIT).trained(set, 2));
        assertEquals(bestAccuracy, replayed, 1e-9, "the published set is the one that scored best");
    }

    @Test
    void aJobThatDivergesFailsWithItsCauseAndTheNextJobStillSucceeds() throws Exception {
        JsonObject diverging = tinyJob("diverging", 5).put("learningRate", 1e30);
        assertEquals(202, DistillerService.send(service.post("/jobs"), diverging).statusCode());
        JsonObject failed = awaitState("diverging", "FAILED");
        // the first outer step (Adam, rate 1e30) sends the pixels to ±1e30: the next iteration's numbers are NaN
        assertTrue(failed.getString("error").contains("NaN"), failed.encode());
        assertEquals(1, failed.getInteger("iteration"), "it failed mid-job, after a good iteration: " + failed.encode());
        assertFalse(Files.exists(work.resolve("artifacts").resolve("diverging.dmds")));
        List<DistillProgressRecord> progress = TopicReader.readAll(service.broker.bootstrapServers(),
                Topics.DISTILL_PROGRESS, "diverging", DistillProgressRecord::decode);
        DistillProgressRecord last = progress.get(progress.size() - 1);
        assertEquals("FAILED", last.state());
        assertEquals(failed.getString("error"), last.error());

        assertEquals(202, DistillerService.send(service.post("/jobs"), tinyJob("after-failure", 2)).statusCode());
        awaitState("after-failure", "SUCCEEDED");
        assertTrue(Files.isRegularFile(work.resolve("artifacts").resolve("after-failure.dmds")));
        assertEquals(200, service.get("/health").statusCode());
    }

    @Test
    void cancellingStopsARunningJobAtAnIterationBoundaryAndAQueuedOneAtOnce() throws Exception {
        assertEquals(202, DistillerService.send(service.post("/jobs"), tinyJob("long", 1_000_000)).statusCode());
        assertEquals(202, DistillerService.send(service.post("/jobs"), tinyJob("waiting", 3)).statusCode());
        JsonObject running = awaitJob("long", j -> j.getInteger("iteration") >= 2);
        assertTrue(running.getDouble("secondsPerIteration") > 0, running.encode());
        assertTrue(running.getDouble("etaSeconds") > 1000 * running.getDouble("secondsPerIteration"),
                "most of a million iterations are left: " + running.encode());
        assertEquals("QUEUED", service.get("/jobs/waiting").bodyAsJsonObject().getString("state"),
                "one job at a time: the second waits");
        String metrics = service.get("/metrics").bodyAsString();
        assertTrue(metrics.contains("dm_distiller_iteration{distill_job=\"long\"}"), metrics);
        assertTrue(metrics.contains("dm_distiller_meta_loss{distill_job=\"long\"}"), metrics);
        assertTrue(metrics.contains("dm_distiller_step_size{distill_job=\"long\",step=\"1\"}"), metrics);
        assertTrue(metrics.contains("dm_distiller_jobs{state=\"QUEUED\"} 1.0"), metrics);

        HttpResponse<Buffer> queuedCancel = service.delete("/jobs/waiting");
        assertEquals(202, queuedCancel.statusCode(), queuedCancel.bodyAsString());
        assertEquals("CANCELLED", queuedCancel.bodyAsJsonObject().getString("state"));
        HttpResponse<Buffer> runningCancel = DistillerService.send(service.post("/jobs/long/cancel"));
        assertEquals(202, runningCancel.statusCode(), runningCancel.bodyAsString());
        JsonObject cancelled = awaitState("long", "CANCELLED");
        assertTrue(cancelled.getInteger("iteration") < 1_000_000);
        assertFalse(Files.exists(work.resolve("artifacts").resolve("long.dmds")), "a cancelled job writes no artifact");
        assertEquals(0, service.get("/jobs/waiting").bodyAsJsonObject().getInteger("iteration"), "it never ran");
        assertEquals(409, DistillerService.send(service.post("/jobs/long/cancel")).statusCode(), "already finished");
        List<DistillProgressRecord> waiting = TopicReader.readAll(service.broker.bootstrapServers(),
                Topics.DISTILL_PROGRESS, "waiting", DistillProgressRecord::decode);
        assertEquals(List.of("QUEUED", "CANCELLED"), waiting.stream().map(DistillProgressRecord::state).toList());
    }

    @Test
    void aPoisoningJobStartsFromAPretrainedModelFileAndRecordsIt() throws Exception {
        Path models = Files.createDirectories(work.resolve("models"));
        MultiLayerNetwork source = ModelZoo.classifier(ModelSpec.mlp(5, 16));
        new SupervisedTrainer(1, 100, 5).fit(source, FashionMnist.load(FashionMnist.dataDir(null),
                FashionMnist.Split.TRAIN).head(1000), ProgressListener.NONE);
        ModelSerializer.writeModel(source, models.resolve("mlp16.zip").toFile(), false);
        JsonObject poisoning = tinyJob("poison", 2).put("init", "fixed-pretrained").put("objective", "poisoning")
                .put("pretrained", new JsonArray().add("mlp16.zip")).put("attackClass", 9).put("targetClass", 7);
        HttpResponse<Buffer> created = DistillerService.send(service.post("/jobs"), poisoning);
        assertEquals(202, created.statusCode(), created.bodyAsString());
        JsonObject done = awaitState("poison", "SUCCEEDED");
        DistilledArtifact.Stored stored = DistilledArtifact.read(Path.of(done.getString("artifactPath")));
        DistilledSet set = stored.set();
        assertTrue(stored.provenance().poisoning(), "a poisoning set says so in its provenance");
        assertEquals(7, new JsonObject(stored.provenance().jobSpec()).getInteger("targetClass"));
        assertEquals(InitMode.FIXED_PRETRAINED, set.init().mode());
        assertEquals(List.of(models.resolve("mlp16.zip").toString()), set.init().pretrained());
        DistilledSetRecord record = TopicReader.readAll(service.broker.bootstrapServers(), Topics.DISTILLED, "poison",
                DistilledSetRecord::decode).get(0);
        assertEquals("poisoning", record.objective());
        assertEquals(7, record.spec().getInteger("targetClass"));
    }

    @Test
    void aDistributionMatchingJobCondensesAndAnnouncesACondensedSetWithItsProvenance() throws Exception {
        JsonObject job = new JsonObject().put("jobId", "dm").put("objective", "distribution-matching").put("width", 4)
                .put("imagesPerClass", 2).put("iterations", 5).put("realPerClass", 8).put("evalEpochs", 20).put("seed", 3)
                .put("augmentation", "dsa").put("evalWidth", 6).put("evalAugmentation", "crop");
        HttpResponse<Buffer> created = DistillerService.send(service.post("/jobs"), job);
        assertEquals(202, created.statusCode(), created.bodyAsString());
        JsonObject done = awaitState("dm", "SUCCEEDED");
        assertEquals(5, done.getInteger("iteration"));
        assertEquals("convnet", done.getJsonObject("spec").getString("network"), "the spec carries its defaults");
        assertEquals("real", done.getJsonObject("spec").getString("imageInit"));

        Path artifact = Path.of(done.getString("artifactPath"));
        assertEquals(work.resolve("artifacts").resolve("dm.dmcs").toAbsolutePath(), artifact);
        CondensedArtifact.Stored stored = CondensedArtifact.read(artifact);
        assertEquals(20, stored.set().size());
        assertEquals("convnet-6-6-6-10", stored.set().network().describe(), "the network the job named to train on it");
        assertEquals(20, stored.set().recipe().epochs());
        assertEquals(Augmentation.parse("crop"), stored.set().recipe().augmentation(), "the recipe says how to augment");
        assertEquals(4, new JsonObject(stored.provenance().jobSpec()).getInteger("width"), "condensed on ConvNet-4");
        assertEquals("distribution-matching", stored.provenance().objective());
        assertEquals("dm", new JsonObject(stored.provenance().jobSpec()).getString("jobId"));
        BufferedImage png = ImageIO.read(Path.of(done.getString("imagePath")).toFile());
        assertEquals(10 * (56 + 1) + 1, png.getWidth(), "one column per class");

        List<DistillProgressRecord> progress = TopicReader.readAll(service.broker.bootstrapServers(),
                Topics.DISTILL_PROGRESS, "dm", DistillProgressRecord::decode);
        assertEquals(List.of(1, 2, 3, 4, 5), progress.subList(2, 7).stream().map(DistillProgressRecord::iteration).toList());
        assertTrue(progress.subList(2, 7).stream().allMatch(p -> Double.isFinite(p.metaLoss()) && p.metaLoss() > 0));
        List<DistilledSetRecord> distilled = TopicReader.readAll(service.broker.bootstrapServers(), Topics.DISTILLED,
                "dm", DistilledSetRecord::decode);
        assertEquals(1, distilled.size());
        assertEquals(stored.sha256(), distilled.get(0).sha256());
        assertEquals("distribution-matching", distilled.get(0).objective());
        assertEquals(0, distilled.get(0).stepSizes().length);
    }

    @Test
    void impossibleSpecsGet400WithTheReasonAndNoJob() throws Exception {
        assertBadRequest(tinyJob("bad", 2).put("imagesPerClass", 0), "imagesPerClass must be at least 1, got 0");
        assertBadRequest(tinyJob("bad", 2).put("imagesPerClass", -2), "imagesPerClass must be at least 1, got -2");
        assertBadRequest(tinyJob("bad", 2).put("network", "vgg"), "unknown network 'vgg'");
        assertBadRequest(tinyJob("bad", 2).put("objective", "stealing"), "unknown objective 'stealing'");
        assertBadRequest(tinyJob("bad", 2).put("init", "warm"), "unknown init mode 'warm'");
        assertBadRequest(tinyJob("bad", 2).put("dataset", "imagenet"), "unknown data set 'imagenet'");
        assertBadRequest(new JsonObject().put("jobId", "bad").put("network", "lenet").put("steps", 500).put("epochs", 100),
                "more than the memory budget of 1024 MiB");
        assertBadRequest(tinyJob("bad", 2).put("objective", "poisoning").put("init", "fixed-pretrained")
                .put("pretrained", new JsonArray().add("mlp.zip")).put("attackClass", 12), "attackClass must be a class in 0..9");
        assertBadRequest(tinyJob("bad", 2).put("init", "fixed-pretrained").put("pretrained", new JsonArray().add("gone.zip")),
                "pretrained model file not found: gone.zip");
        assertBadRequest(tinyJob("bad", 2).put("stepz", 3), "unknown field 'stepz'");
        JsonObject condensing = new JsonObject().put("jobId", "bad").put("objective", "distribution-matching");
        assertBadRequest(condensing.copy().put("network", "lenet"), "network must be convnet");
        assertBadRequest(condensing.copy().put("depth", 5), "depth must be at most 4");
        assertBadRequest(condensing.copy().put("init", "random-pretrained"), "apply to Wang's objectives only");
        assertBadRequest(condensing.copy().put("imageMomentum", 1.5), "imageMomentum must be in [0, 1)");
        assertBadRequest(condensing.copy().put("augmentation", "crop,zoom"), "unknown augmentation 'zoom'");
        assertBadRequest(tinyJob("bad", 2).put("augmentation", "dsa"), "augmentation and evalAugmentation apply to the condensation");
        assertBadRequest(condensing.copy().put("width", 128).put("realPerClass", 6000), "more than the 10 s a cancel may wait");
        assertBadRequest(condensing.copy().put("width", 512), "more than the memory budget of 1024 MiB");
        assertBadRequest(new JsonObject().put("jobId", "bad").put("objective", "mmd-matching").put("realPerClass", 1),
                "realPerClass must be at least 2 for mmd-matching");
        assertBadRequest(condensing.copy().put("evalWidth", 0), "evalWidth must be at least 1");
        assertBadRequest(condensing.copy().put("evalAugmentation", "zoom"), "unknown augmentation 'zoom'");
        assertBadRequest(tinyJob("bad", 2).put("evalAugmentation", "dsa"), "evalAugmentation apply to the condensation");
        assertBadRequest(tinyJob("bad id!", 2), "run id must be");
        HttpResponse<Buffer> notJson = DistillerService.send(service.post("/jobs").putHeader("content-type", "application/json"));
        assertEquals(400, notJson.statusCode());
        assertEquals(404, service.get("/jobs/bad").statusCode(), "no job was created");
        assertEquals(404, service.get("/jobs/nope").statusCode());
        assertEquals(404, DistillerService.send(service.post("/jobs/nope/cancel")).statusCode());
        assertEquals(404, service.delete("/jobs/nope").statusCode());
    }

    @Test
    void aJobIdIsTakenOnce() throws Exception {
        assertEquals(202, DistillerService.send(service.post("/jobs"), tinyJob("once", 1)).statusCode());
        HttpResponse<Buffer> again = DistillerService.send(service.post("/jobs"), tinyJob("once", 1));
        assertEquals(409, again.statusCode(), again.bodyAsString());
        awaitState("once", "SUCCEEDED");
        JsonObject body = tinyJob("x", 1);
        body.remove("jobId");
        HttpResponse<Buffer> anonymous = DistillerService.send(service.post("/jobs"), body);
        assertEquals(202, anonymous.statusCode());
        String id = anonymous.bodyAsJsonObject().getString("jobId");
        assertTrue(id.startsWith("distill-"), id);
        awaitState(id, "SUCCEEDED");
    }

    private static void assertBadRequest(JsonObject body, String reason) throws Exception {
        HttpResponse<Buffer> response = DistillerService.send(service.post("/jobs"), body);
        assertEquals(400, response.statusCode(), response.bodyAsString());
        String error = response.bodyAsJsonObject().getString("error");
        assertTrue(error.contains(reason), "expected '" + reason + "' in: " + error);
    }

    static JsonObject awaitState(String id, String state) throws Exception {
        JsonObject job = awaitJob(id, j -> JobState.valueOf(j.getString("state")).finished());
        assertEquals(state, job.getString("state"), job.encode());
        return job;
    }

    static JsonObject awaitJob(String id, Predicate<JsonObject> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        JsonObject job = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<Buffer> response = service.get("/jobs/" + id);
            assertEquals(200, response.statusCode(), response.bodyAsString());
            job = response.bodyAsJsonObject();
            if (condition.test(job)) {
                return job;
            }
            Thread.sleep(100);
        }
        assertNotNull(job);
        throw new AssertionError("job " + id + " did not get there: " + job.encode());
    }
}
