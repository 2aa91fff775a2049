package io.distillmesh.evaluator;

import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.PartitionSnapshot;
import io.distillmesh.messaging.vertx.MeshVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A real evaluator verticle on a real embedded broker, with an HTTP client for its API. */
public final class EvaluatorHarness implements AutoCloseable {
    /** The project's committed teacher, seen from the module directory. */
    public static final Path MODELS = Path.of("../../models").toAbsolutePath().normalize();
    final EmbeddedKafkaBroker broker;

    /** The test accuracy the teacher's training job recorded beside the committed teacher. */
    public static double shippedTeacherAccuracy() {
        Properties card = new Properties();
        try (Reader r = Files.newBufferedReader(MODELS.resolve("teacher-cnn.zip.properties"))) {
            card.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Double.parseDouble(card.getProperty("test.accuracy"));
    }
    final MeshVertx mesh;
    final WebClient client;
    final EvaluatorVerticle verticle;

    private EvaluatorHarness(EmbeddedKafkaBroker broker, MeshVertx mesh, EvaluatorVerticle verticle) {
        this.broker = broker;
        this.mesh = mesh;
        this.verticle = verticle;
        this.client = WebClient.create(mesh.vertx());
    }

    static JsonObject config(EmbeddedKafkaBroker broker, Path artifacts) {
        return new JsonObject().put("http.port", 0).put("http.host", "127.0.0.1")
                .put("kafka.bootstrap.servers", broker.bootstrapServers()).put("models.dir", MODELS.toString())
                .put("artifacts.dir", artifacts.toString());
    }

    /** Deploys an evaluator in a Vert.x of its own (its own metrics registry), as a fresh process would. */
    static EvaluatorHarness start(EmbeddedKafkaBroker broker, JsonObject config) throws Exception {
        MeshVertx mesh = MeshVertx.create();
        EvaluatorVerticle verticle = new EvaluatorVerticle(mesh.registry());
        try {
            mesh.vertx().deployVerticle(verticle, new DeploymentOptions().setConfig(config))
                    .toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
        } catch (Exception e) {
            mesh.vertx().close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
            throw e;
        }
        return new EvaluatorHarness(broker, mesh, verticle);
    }

    int port() {
        return verticle.port();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    HttpResponse<Buffer> get(String path) throws Exception {
        return client.get(port(), "127.0.0.1", path).send().toCompletionStage().toCompletableFuture()
                .get(1, TimeUnit.MINUTES);
    }

    HttpResponse<Buffer> post(String path, String token, Buffer body) throws Exception {
        HttpRequest<Buffer> request = client.post(port(), "127.0.0.1", path).putHeader("content-type", "application/json");
        if (token != null) {
            request.bearerTokenAuthentication(token);
        }
        return request.sendBuffer(body).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    String metrics() throws Exception {
        return get("/metrics").bodyAsString();
    }

    /** Polls GET /results/{id} until the subject satisfies {@code done}; returns it. */
    JsonObject awaitSubject(String subjectId, Predicate<JsonObject> done, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonObject last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<Buffer> response = get("/results/" + subjectId);
            if (response.statusCode() == 200) {
                last = response.bodyAsJsonObject();
                if (done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("subject " + subjectId + " did not reach the expected state in " + timeout
                + "; last seen: " + (last == null ? "none" : last.encode()) + "; health: " + get("/health").bodyAsString());
    }

    static JsonObject awaitPoint(EvaluatorHarness h, String subjectId, long samplesTrained) throws Exception {
        return h.awaitSubject(subjectId, s -> s.getJsonArray("series").stream().map(JsonObject.class::cast)
                .anyMatch(p -> p.getLong("samplesTrained") == samplesTrained), Duration.ofMinutes(3));
    }

    @Override
    public void close() throws Exception {
        mesh.vertx().close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.MINUTES);
    }

    // ---- Kafka helpers ----

    static KafkaSettings kafka(EmbeddedKafkaBroker broker) {
        return new KafkaSettings(broker.bootstrapServers(), Map.of());
    }

    static void publish(EmbeddedKafkaBroker broker, String topic, String key, byte[] value) throws Exception {
        try (Producer<String, byte[]> producer = new KafkaProducer<>(kafka(broker).producer("test-publisher"))) {
            producer.send(new ProducerRecord<>(topic, key, value)).get(1, TimeUnit.MINUTES);
        }
    }

    /** Every record on partition 0 of {@code topic} now. */
    static List<ConsumerRecord<String, byte[]>> readAll(EmbeddedKafkaBroker broker, String topic) {
        Map<String, Object> settings = kafka(broker).consumer("unused", "test-reader");
        settings.remove("group.id");
        return PartitionSnapshot.read(settings, topic, Duration.ofSeconds(60));
    }
}
