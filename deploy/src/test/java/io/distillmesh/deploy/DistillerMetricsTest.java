package io.distillmesh.deploy;

import io.distillmesh.distiller.DistillerVerticle;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real distiller (embedded broker, real Fashion-MNIST, a small MLP job) scraped while a job runs, when the
 * per-job series exist, and after it is cancelled: it exposes exactly the families docs/METRICS.md lists for it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DistillerMetricsTest {
    private static final String LOOPBACK = "127.0.0.1";
    @TempDir
    static Path work;
    private static EmbeddedKafkaBroker broker;
    private static MeshVertx mesh;
    private static WebClient client;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.start(work.resolve("kafka"));
        mesh = MeshVertx.create();
        DistillerVerticle distiller = new DistillerVerticle(mesh.registry());
        mesh.vertx().deployVerticle(distiller, new DeploymentOptions().setConfig(new JsonObject().put("http.port", 0)
                        .put("http.host", LOOPBACK).put("kafka.bootstrap.servers", broker.bootstrapServers())
                        .put("artifacts.dir", work.resolve("artifacts").toString())
                        .put("models.dir", work.resolve("models").toString())))
                .toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
        port = distiller.port();
        client = WebClient.create(mesh.vertx());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (mesh != null) {
                mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    @Test
    void theDistillerExposesExactlyItsCataloguedFamiliesWhileAJobRunsAndAfter() throws Exception {
        MetricCatalog catalog = MetricCatalog.load();
        JsonObject job = new JsonObject().put("jobId", "metrics-job").put("network", "mlp")
                .put("hidden", new JsonArray().add(16)).put("steps", 3).put("epochs", 1).put("iterations", 1_000_000)
                .put("realBatch", 64).put("keepBestEvery", 1_000_000);
        HttpResponse<Buffer> created = client.post(port, LOOPBACK, "/jobs").sendJsonObject(job)
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        assertEquals(202, created.statusCode(), created.bodyAsString());
        awaitJob(j -> j.getInteger("iteration") >= 2);

        Exposition running = Exposition.parse(scrape());
        List<String> problems = new ArrayList<>(CatalogDrift.meshFamilies(catalog, "distiller", running));
        // vertx_* go to the first Vert.x registry of this JVM (docs/METRICS.md, registry notes), maybe not this one
        problems.addAll(CatalogDrift.catalogued(catalog, "distiller", running,
                e -> !e.isMesh() && !e.name().startsWith("vertx_")));
        assertEquals(List.of(), problems, "docs/METRICS.md and the distiller disagree");

        HttpResponse<Buffer> cancelled = client.post(port, LOOPBACK, "/jobs/metrics-job/cancel").send()
                .toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        assertEquals(202, cancelled.statusCode(), cancelled.bodyAsString());
        awaitJob(j -> j.getString("state").equals("CANCELLED"));
        String after = scrape();
        assertFalse(after.contains("distill_job=\"metrics-job\""), "an ended job's series are gone");
        assertTrue(after.contains("dm_distiller_jobs_finished_total{state=\"CANCELLED\"} 1.0"), after);
        List<String> perJob = List.of("dm_distiller_iteration", "dm_distiller_meta_loss", "dm_distiller_step_size",
                "dm_distiller_validation_accuracy");
        List<String> unlisted = CatalogDrift.meshFamilies(catalog, "distiller", Exposition.parse(after)).stream()
                .filter(p -> perJob.stream().noneMatch(f -> p.equals("distiller does not expose " + f
                        + ", which docs/METRICS.md lists for it"))).toList();
        assertEquals(List.of(), unlisted, "only the running job's families may be missing when no job runs");
    }

    private static String scrape() throws Exception {
        HttpResponse<Buffer> response = client.get(port, LOOPBACK, "/metrics").send()
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode());
        return response.bodyAsString();
    }

    private static void awaitJob(Predicate<JsonObject> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        JsonObject job = null;
        while (System.nanoTime() < deadline) {
            job = client.get(port, LOOPBACK, "/jobs/metrics-job").send()
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS).bodyAsJsonObject();
            if (condition.test(job)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the job did not get there: " + job);
    }
}
