package io.distillmesh.evaluator;

import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.artifact.ImageGrid;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.condense.CondensationSettings;
import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.condense.DistributionMatching;
import io.distillmesh.core.condense.SetEvaluation;
import io.distillmesh.core.condense.TrainingRecipe;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.DistilledReplay;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.ReplayEvaluator;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.distillmesh.messaging.records.DistillProgressRecord;
import io.distillmesh.messaging.records.DistilledSetRecord;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.distillmesh.evaluator.EvaluatorHarness.publish;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * dm.distilled → evaluator → dm.eval.results, on a real broker with sets distilled by core's DatasetDistiller from
 * real Fashion-MNIST: K replays of the artifact's exact schedule, the three baselines, the progress curve, the
 * image grids, a restart, a poisoning set, and the REST refusals. K and the grid are small here (K = 3, two grid
 * steps) so it runs in seconds; the default is K = 10.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DistilledSetPipelineTest {
    private static final int K = 3;
    private static EmbeddedKafkaBroker broker;
    private static Path artifacts;
    private static LabelledImages test;
    private static TinyDistilledSets.Made classification;
    private static TinyDistilledSets.Made poisoning;

    @BeforeAll
    static void start() throws Exception {
        artifacts = Files.createTempDirectory("evaluator-distilled-").resolve("artifacts");
        Files.createDirectories(artifacts);
        broker = EmbeddedKafkaBroker.start();
        try (TopicAdmin topics = new TopicAdmin(EvaluatorHarness.kafka(broker), 1)) {
            EvaluationTopics.ensure(topics);
        }
        test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST);
        classification = TinyDistilledSets.classification("fm-mlp", artifacts, 4);
        poisoning = TinyDistilledSets.poisoning("poison", artifacts, 3);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static JsonObject config(boolean crossArchitecture) {
        return EvaluatorHarness.config(broker, artifacts).put("distilled.replicas", K)
                .put("distilled.step-grid", "0.03,0.3").put("distilled.grid-replicas", 1)
                .put("distilled.held-out", 500).put("distilled.kmeans-sample", 200)
                .put("distilled.cross-architecture", crossArchitecture ? "mlp:16" : "");
    }

    @Test
    void aPublishedSetIsReplayedKTimesBesideTheThreeBaselinesAndARestartRebuildsItFromTheResultsTopic() throws Exception {
        for (DistillProgressRecord progress : classification.progress()) {
            publish(broker, Topics.DISTILL_PROGRESS, progress.jobId(), progress.encode());
        }
        publish(broker, Topics.DISTILLED, "fm-mlp", classification.announcement().encode());
        JsonObject subject;
        try (EvaluatorHarness evaluator = EvaluatorHarness.start(broker, config(true))) {
            subject = evaluator.awaitSubject("distilled:fm-mlp", s -> s.getJsonArray("points").size() == 5,
                    Duration.ofMinutes(5));
            Map<String, JsonObject> points = points(subject);
            assertEquals(List.of("baseline:random-real", "baseline:class-means", "baseline:k-means",
                    "cross-architecture:mlp-784-16-10", "set"), List.copyOf(points.keySet()));

            JsonObject set = subject.getJsonObject("latest");
            assertEquals("set", set.getString("pointId"));
            assertEquals("distilled-set", set.getString("kind"));
            assertEquals(K, set.getInteger("replicas"));
            double[] replayed = new ReplayEvaluator(new InitSampler(classification.set().init(), null), test)
                    .trained(classification.set(), K);
            assertEquals(ReplayEvaluator.mean(replayed), set.getDouble("accuracy"), 1e-12,
                    "the K replays are core's replay of the artifact's exact schedule");
            assertEquals(ReplayEvaluator.std(replayed), set.getDouble("accuracyStd"), 1e-12);
            assertEquals(10, set.getJsonArray("perClassAccuracy").size());
            assertEquals("fm-mlp", set.getJsonObject("settings").getString("jobId"));
            assertEquals(classification.artifact().toString(), set.getString("modelPath"));

            for (String baseline : List.of("random-real", "class-means", "k-means")) {
                JsonObject row = points.get("baseline:" + baseline);
                JsonObject made = row.getJsonObject("settings").getJsonObject("result");
                assertEquals(baseline, made.getString("kind"));
                assertEquals(K, row.getInteger("replicas"));
                assertTrue(Set.of(0.03, 0.3).contains(made.getDouble("stepSize")), made.encode());
                assertEquals(2, made.getJsonArray("grid").size());
                assertEquals(500, made.getInteger("heldOutImages"));
                double best = made.getJsonArray("grid").stream().mapToDouble(g -> ((JsonObject) g)
                        .getDouble("validationAccuracy")).max().orElseThrow();
                assertEquals(best, made.getJsonArray("grid").stream().map(JsonObject.class::cast)
                        .filter(g -> g.getDouble("step").equals(made.getDouble("stepSize"))).findFirst().orElseThrow()
                        .getDouble("validationAccuracy"), "the chosen step is the grid's best on held-out images");
            }
            assertEquals("mlp-784-16-10", points.get("cross-architecture:mlp-784-16-10").getJsonObject("settings")
                    .getJsonObject("result").getString("network"));

            List<String> keys = EvaluatorHarness.readAll(broker, EvaluationTopics.RESULTS).stream()
                    .map(ConsumerRecord::key).filter(k -> k.startsWith("distilled:fm-mlp@")).toList();
            assertEquals(5, keys.size(), keys.toString());
            assertEquals("distilled:fm-mlp@set", keys.get(keys.size() - 1), "the summary is published last");

            JsonObject job = evaluator.get("/distillations/fm-mlp").bodyAsJsonObject();
            assertEquals(4, job.getJsonArray("metaLoss").size());
            assertEquals(classification.progress().get(3).metaLoss(),
                    job.getJsonArray("metaLoss").getJsonObject(3).getDouble("metaLoss"));
            assertEquals(4, job.getJsonArray("stepSizes").size());
            assertEquals(classification.artifact().toString(), job.getJsonObject("distilled").getString("artifactPath"));

            BufferedImage grid = png(evaluator, "/images/distilled/fm-mlp/distilled-set.png");
            BufferedImage expected = ImageGrid.render(classification.set(), 2);
            assertEquals(expected.getWidth(), grid.getWidth());
            assertEquals(expected.getHeight(), grid.getHeight());
            assertEquals(expected.getRGB(20, 20), grid.getRGB(20, 20));
            assertEquals(expected.getWidth(), png(evaluator, "/images/distilled/fm-mlp/k-means.png").getWidth());

            String metrics = evaluator.metrics();
            assertTrue(metrics.contains("dm_evaluator_evaluations_total{kind=\"distilled-set\"} 1.0"), metrics);
            assertTrue(metrics.contains("dm_evaluator_distilled_replay_seconds_count{kind=\"distilled-set\"} " + K + "\n"),
                    metrics);
            assertTrue(metrics.contains("dm_evaluator_distilled_replay_seconds_count{kind=\"step-grid\"} 6\n"), metrics);
            assertTrue(metrics.contains("dm_evaluator_distilled_accuracy{kind=\"k-means\",subject=\"distilled:fm-mlp\"} "
                    + points.get("baseline:k-means").getDouble("accuracy")), metrics);
            // the broker is shared by this class's tests, so other tests' jobs may be followed too
            var followed = evaluator.get("/distillations").bodyAsJsonArray();
            assertTrue(followed.stream().map(JsonObject.class::cast).anyMatch(j -> "fm-mlp".equals(j.getString("jobId"))),
                    followed.encode());
            assertTrue(metrics.contains("dm_evaluator_distillation_jobs " + (double) followed.size() + "\n"), metrics);
        }

        try (EvaluatorHarness restarted = EvaluatorHarness.start(broker, config(true))) {
            JsonObject rebuilt = restarted.get("/results/distilled:fm-mlp").bodyAsJsonObject();
            assertEquals(subject.getJsonArray("points"), rebuilt.getJsonArray("points"));
            assertEquals(4, rebuiltMetaLossPoints(restarted, "fm-mlp", Duration.ofMinutes(1)));
            assertEquals(ImageGrid.render(classification.set(), 2).getWidth(),
                    png(restarted, "/images/distilled/fm-mlp/distilled-set.png").getWidth(), "drawn again from the artifact");

            // announced again (a distiller re-sending): skipped as evaluated; a set announced after it is evaluated
            publish(broker, Topics.DISTILLED, "fm-mlp", classification.announcement().encode());
            var again = classification.announcement();
            publish(broker, Topics.DISTILLED, "fm-mlp-2", new io.distillmesh.messaging.records.DistilledSetRecord(
                    "fm-mlp-2", again.artifactPath(), again.sha256(), null, again.objective(), again.imagesPerClass(), again.steps(),
                    again.epochs(), again.iterations(), again.finalMetaLoss(), again.stepSizes(), again.spec()).encode());
            restarted.awaitSubject("distilled:fm-mlp-2", s -> s.getJsonArray("points").size() == 5, Duration.ofMinutes(5));
            assertTrue(restarted.metrics().contains("dm_evaluator_evaluations_total{kind=\"distilled-set\"} 1.0"),
                    "only the new set was evaluated");
        }
    }

    @Test
    void aCondensedSetIsTrainedByItsOwnRecipeBesideRandomRealAndKMeansAndItsImagesAreDrawn() throws Exception {
        ModelSpec convNet = ModelSpec.convNet(TinyDistilledSets.SEED, 4, 3);
        TrainingRecipe recipe = TrainingRecipe.papers().withEpochs(8);
        CondensedSet set = new DistributionMatching(TinyDistilledSets.train(2000), new CondensationSettings(convNet, 1,
                3, 16, 0.1, 0.5, CondensationSettings.ImageStart.REAL, TinyDistilledSets.SEED, recipe))
                .run((done, total, loss) -> { }, () -> false);
        Path file = artifacts.resolve("dm-tiny.dmcs");
        String sha256 = CondensedArtifact.write(set, Provenance.of("distiller", "distribution-matching",
                "{\"jobId\":\"dm-tiny\"}"), file);
        DistilledSetRecord announcement = new DistilledSetRecord("dm-tiny", file.toString(), sha256, null,
                "distribution-matching", 1, 0, 0, 3, 1.0, new double[0], new JsonObject().put("network", "convnet"));
        publish(broker, Topics.DISTILLED, "dm-tiny", announcement.encode());
        try (EvaluatorHarness evaluator = EvaluatorHarness.start(broker, config(true))) {
            JsonObject subject = evaluator.awaitSubject("distilled:dm-tiny", s -> s.getJsonArray("points").size() == 4,
                    Duration.ofMinutes(5));
            Map<String, JsonObject> points = points(subject);
            assertEquals(List.of("baseline:random-real", "baseline:k-means", "cross-architecture:mlp-784-16-10", "set"),
                    List.copyOf(points.keySet()));
            JsonObject summary = subject.getJsonObject("latest");
            JsonObject made = summary.getJsonObject("settings").getJsonObject("result");
            assertEquals("convnet-4-4-4-10", made.getString("network"));
            assertEquals(recipe.describe(), made.getString("recipe"));
            assertEquals(sha256, made.getString("sha256"));
            assertEquals("distribution-matching", made.getJsonObject("provenance").getString("objective"));
            assertEquals(SetEvaluation.of(set, convNet, K, test).mean(), summary.getDouble("accuracy"), 1e-9,
                    "the evaluator trains K networks by the artifact's recipe, as core's evaluation does");
            assertEquals(10 * (56 + 1) + 1, png(evaluator, "/images/distilled/dm-tiny/distilled-set.png").getWidth());
            assertEquals(10 * (56 + 1) + 1, png(evaluator, "/images/distilled/dm-tiny/k-means.png").getWidth());

            byte[] tampered = Files.readAllBytes(file);
            tampered[40] ^= 0x01;
            Files.write(artifacts.resolve("dm-tampered.dmcs"), tampered);
            HttpResponse<Buffer> refused = evaluator.post("/evaluations", null,
                    Buffer.buffer("{\"jobId\": \"x\", \"artifactPath\": \"dm-tampered.dmcs\"}"));
            assertEquals(400, refused.statusCode());
            assertTrue(refused.bodyAsJsonObject().getString("error").contains(
                    "condensed-set artifact 'dm-tampered.dmcs' refused: content does not match its SHA-256"),
                    refused.bodyAsString());
        }
    }

    @Test
    void aPoisoningSetIsJudgedByItsAttackOnThePretrainedNetwork() throws Exception {
        publish(broker, Topics.DISTILLED, "poison", poisoning.announcement().encode());
        try (EvaluatorHarness evaluator = EvaluatorHarness.start(broker, config(false))) {
            JsonObject subject = evaluator.awaitSubject("distilled:poison", s -> s.getJsonArray("points").size() == 2,
                    Duration.ofMinutes(5));
            Map<String, JsonObject> points = points(subject);
            assertEquals(List.of("poisoning:before", "set"), List.copyOf(points.keySet()), "no baselines for an attack");
            var pretrained = new InitSampler(poisoning.set().init(), poisoning.pool());
            var net = pretrained.newNetwork();
            net.setParams(pretrained.evaluation(0));
            double before = Accuracy.of(net, test);
            double after = Accuracy.of(DistilledReplay.train(poisoning.set(), poisoning.pool(), 0), test);
            assertEquals(before, points.get("poisoning:before").getDouble("accuracy"), 1e-12);
            assertEquals(after, points.get("set").getDouble("accuracy"), 1e-12);

            JsonObject judged = points.get("set").getJsonObject("settings").getJsonObject("result");
            assertEquals(poisoning.sha256(), judged.getString("sha256"));
            assertTrue(judged.getJsonObject("provenance").getBoolean("poisoning"),
                    "the result says where the set came from, and that it poisons: " + judged.getJsonObject("provenance"));
            JsonObject effect = judged.getJsonObject("poisoning");
            assertEquals(9, effect.getInteger("attackClass"));
            assertEquals(7, effect.getInteger("targetClass"));
            assertEquals(points.get("poisoning:before").getJsonArray("perClassAccuracy").getDouble(9),
                    effect.getDouble("attackAccuracyBefore"));
            assertEquals(points.get("set").getJsonArray("perClassAccuracy").getDouble(9),
                    effect.getDouble("attackAccuracyAfter"));
            assertTrue(effect.getDouble("restAccuracyBefore") > 0.5, "the pretrained network classifies: " + effect);
        }
    }

    @Test
    void distilledEvaluationRequestsAreCheckedBeforeTheyAreQueued() throws Exception {
        Files.writeString(artifacts.resolve("not-a-set.dmds"), "PK this is a zip, not a distilled set");
        String good = artifacts.relativize(classification.artifact()).toString();
        byte[] tampered = Files.readAllBytes(classification.artifact());
        tampered[100] ^= 0x01;
        Files.write(artifacts.resolve("tampered.dmds"), tampered);
        try (EvaluatorHarness evaluator = EvaluatorHarness.start(broker, config(false))) {
            Map<String, String> refused = new LinkedHashMap<>();
            refused.put("{\"jobId\": \"x\", \"artifactPath\": \"not-a-set.dmds\"}",
                    "'not-a-set.dmds' is not a DMDS distilled-set artifact: not a distilled-set artifact (magic PK t");
            refused.put("{\"jobId\": \"x\", \"artifactPath\": \"tampered.dmds\"}",
                    "distilled-set artifact 'tampered.dmds' refused: content does not match its SHA-256");
            refused.put("{\"jobId\": \"x\", \"artifactPath\": \"missing.dmds\"}",
                    "no such distilled-set artifact 'missing.dmds'");
            refused.put("{\"jobId\": \"x\", \"artifactPath\": \"../outside.dmds\"}", "artifactPath '../outside.dmds' escapes");
            refused.put("{\"jobId\": \"no spaces\", \"artifactPath\": \"x\"}", "jobId: run id must be");
            refused.put("{\"jobId\": \"x\", \"studentId\": \"s\"}", "unknown field 'studentId' for a distilled set");
            refused.put("{\"jobId\": \"x\", \"artifactPath\": \"" + good + "\", \"replicas\": 0}", "replicas must be");
            refused.put("{\"jobId\": \"x\", \"artifactPath\": \"" + good + "\", \"objective\": \"poisoning(12->3)\"}",
                    "attack and target class must be different classes in 0..9");
            refused.put("{\"jobId\": 5}", "jobId (a string) is required");
            for (var c : refused.entrySet()) {
                HttpResponse<Buffer> response = evaluator.post("/evaluations", null, Buffer.buffer(c.getKey()));
                assertEquals(400, response.statusCode(), c.getKey() + " -> " + response.bodyAsString());
                String error = response.bodyAsJsonObject().getString("error");
                assertTrue(error.contains(c.getValue()), c.getKey() + " -> " + error);
            }
            String metrics = evaluator.get("/metrics").bodyAsString();
            assertTrue(metrics.contains("dm_evaluator_artifacts_refused_total{reason=\"integrity\"} 1.0"), metrics);
            HttpResponse<Buffer> unknownJob = evaluator.post("/evaluations", null, Buffer.buffer("{\"jobId\": \"nobody\"}"));
            assertEquals(404, unknownJob.statusCode());
            assertTrue(unknownJob.bodyAsJsonObject().getString("error").startsWith(
                    "no distilled set announced for job 'nobody' on dm.distilled"));
            for (String path : List.of("/distillations/nobody", "/images/distilled/nobody/distilled-set.png",
                    "/images/distilled/fm-mlp/weights.png", "/results/distilled:nobody")) {
                assertEquals(404, evaluator.get(path).statusCode(), path);
            }

            JsonObject valid = new JsonObject(Buffer.buffer(classification.announcement().encode()));
            Map<String, byte[]> junk = Map.of(
                    "junk", "not json at all".getBytes(StandardCharsets.UTF_8),
                    "escape", valid.copy().put("jobId", "escape").put("artifactPath", "../../etc/passwd").toBuffer().getBytes(),
                    "poison-without-classes", valid.copy().put("jobId", "poison-without-classes")
                            .put("objective", "poisoning").toBuffer().getBytes());
            for (var record : junk.entrySet()) {
                publish(broker, Topics.DISTILLED, record.getKey(), record.getValue());
            }
            publish(broker, Topics.DISTILL_PROGRESS, "junk-progress", "{\"v\": 7}".getBytes(StandardCharsets.UTF_8));
            publish(broker, Topics.DISTILL_PROGRESS, "progress-past-its-end", new JsonObject().put("v", 1)
                    .put("jobId", "odd").put("state", "RUNNING").put("iteration", 12).put("iterations", 10)
                    .toBuffer().getBytes());
            publish(broker, Topics.DISTILL_PROGRESS, "progress-unknown-state", new JsonObject().put("v", 1)
                    .put("jobId", "odd").put("state", "EXPLODED").put("iteration", 1).put("iterations", 10)
                    .toBuffer().getBytes());

            HttpResponse<Buffer> accepted = evaluator.post("/evaluations", null, new JsonObject().put("jobId", "asked")
                    .put("artifactPath", good).put("replicas", 2).toBuffer());
            assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
            assertEquals("distilled:asked@set", accepted.bodyAsJsonObject().getString("key"));
            JsonObject subject = evaluator.awaitSubject("distilled:asked",
                    s -> s.getJsonObject("latest").getString("pointId").equals("set"), Duration.ofMinutes(5));
            assertEquals(2, subject.getJsonObject("latest").getInteger("replicas"));
            assertEquals(4, subject.getJsonArray("points").size());

            Map<String, String> reasons = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            while (reasons.size() < junk.size() + 3 && System.nanoTime() < deadline) {
                Thread.sleep(200);
                for (ConsumerRecord<String, byte[]> dead : EvaluatorHarness.readAll(broker, Topics.DEAD_LETTERS)) {
                    reasons.put(dead.key(), header(dead, DeadLetterPublisher.HEADER_REASON));
                }
            }
            assertTrue(reasons.getOrDefault("junk", "").contains("not"), reasons.toString());
            assertTrue(reasons.getOrDefault("escape", "").contains("artifactPath '../../etc/passwd' escapes"), reasons.toString());
            assertTrue(reasons.getOrDefault("poison-without-classes", "").contains("names no attack and target class"),
                    reasons.toString());
            assertTrue(reasons.getOrDefault("junk-progress", "").contains("version"), reasons.toString());
            assertTrue(reasons.getOrDefault("progress-past-its-end", "").contains("iteration 12 of 10"),
                    reasons.toString());
            assertTrue(reasons.getOrDefault("progress-unknown-state", "").contains("unknown state 'EXPLODED'"),
                    reasons.toString());
            assertTrue(evaluator.get("/distillations/odd").statusCode() == 404, "neither report reached the board");
            assertEquals(404, evaluator.get("/results/distilled:escape").statusCode());
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static Map<String, JsonObject> points(JsonObject subject) {
        JsonArray points = subject.getJsonArray("points");
        return points.stream().map(JsonObject.class::cast).collect(Collectors.toMap(p -> p.getString("pointId"),
                p -> p, (a, b) -> b, LinkedHashMap::new));
    }

    private static BufferedImage png(EvaluatorHarness evaluator, String path) throws Exception {
        HttpResponse<Buffer> response = evaluator.get(path);
        assertEquals(200, response.statusCode(), path + " -> " + response.bodyAsString());
        assertEquals("image/png", response.getHeader("Content-Type"));
        return ImageIO.read(new ByteArrayInputStream(response.body().getBytes()));
    }

    /** The progress view is rebuilt from dm.distill.progress after the start, so wait until the job is back. */
    private static int rebuiltMetaLossPoints(EvaluatorHarness evaluator, String job, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            var response = evaluator.get("/distillations/" + job);
            if (response.statusCode() == 200 && response.bodyAsJsonObject().getJsonArray("metaLoss") != null
                    && response.bodyAsJsonObject().getJsonArray("metaLoss").size() == 4) {
                return 4;
            }
            if (System.nanoTime() > deadline) {
                return response.statusCode() == 200 && response.bodyAsJsonObject().getJsonArray("metaLoss") != null
                        ? response.bodyAsJsonObject().getJsonArray("metaLoss").size() : -response.statusCode();
            }
            Thread.sleep(200);
        }
    }
}
