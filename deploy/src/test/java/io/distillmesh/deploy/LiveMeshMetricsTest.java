package io.distillmesh.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real mesh on loopback (embedded Kafka broker, teacher, one student, a run of 300 samples, the evaluator
 * and an idle distiller), scraped directly and by a real Prometheus server (Debian's /usr/bin/prometheus)
 * running the shipped scrape config, every job of it on its service, and alert rules. Proves the catalog
 * matches what the teacher, the student and the evaluator expose (the distiller's families: DistillerMetricsTest),
 * and that Prometheus, the rules and the dashboard's queries work on the real series.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class LiveMeshMetricsTest {
    private static final int SAMPLES = 300;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TEACHER_JOB = "distill-mesh-teacher";
    private static final String STUDENT_JOB = "distill-mesh-student";
    private static final String EVALUATOR_JOB = "distill-mesh-evaluator";
    private static final String DISTILLER_JOB = "distill-mesh-distiller";
    @TempDir
    static Path work;
    private static RunningMesh mesh;
    private static PrometheusServer prometheus;
    private static MetricCatalog catalog;

    @BeforeAll
    static void startMeshAndPrometheus() throws Exception {
        catalog = MetricCatalog.load();
        PrometheusBinaries.prometheus();
        mesh = RunningMesh.startAndTrain(work, SAMPLES, Duration.ofMinutes(4));
        String config = LoopbackScrapeConfig.from(RepoFiles.read(RepoFiles.PROMETHEUS_CONFIG),
                Map.of(TEACHER_JOB, List.of("127.0.0.1:" + mesh.teacherPort()),
                        STUDENT_JOB, List.of("127.0.0.1:" + mesh.studentPort()),
                        EVALUATOR_JOB, List.of("127.0.0.1:" + mesh.evaluatorPort()),
                        DISTILLER_JOB, List.of("127.0.0.1:" + mesh.distillerPort())),
                RepoFiles.path(RepoFiles.ALERT_RULES));
        prometheus = PrometheusServer.start(Files.createDirectories(work.resolve("prometheus")), config);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (prometheus != null) {
                prometheus.close();
            }
        } finally {
            if (mesh != null) {
                mesh.close();
            }
        }
    }

    @Test
    void eachServiceExposesExactlyItsCataloguedMeshFamilies() throws Exception {
        List<String> problems = new ArrayList<>();
        problems.addAll(CatalogDrift.meshFamilies(catalog, "teacher", Exposition.parse(mesh.scrape(mesh.teacherPort()))));
        problems.addAll(CatalogDrift.meshFamilies(catalog, "student", Exposition.parse(mesh.scrape(mesh.studentPort()))));
        // a distilled set's accuracy gauges appear once one is evaluated; this mesh distils nothing
        String distilledOnly = "evaluator does not expose dm_evaluator_distilled_accuracy, which docs/METRICS.md lists for it";
        CatalogDrift.meshFamilies(catalog, "evaluator", Exposition.parse(mesh.scrape(mesh.evaluatorPort()))).stream()
                .filter(p -> !p.equals(distilledOnly)).forEach(problems::add);
        assertEquals(List.of(), problems, "docs/METRICS.md and the services disagree");
    }

    @Test
    void theJvmAndVertxFamiliesTheCatalogReliesOnAreExposed() throws Exception {
        Exposition teacher = Exposition.parse(mesh.scrape(mesh.teacherPort()));
        Exposition student = Exposition.parse(mesh.scrape(mesh.studentPort()));
        Exposition evaluator = Exposition.parse(mesh.scrape(mesh.evaluatorPort()));
        List<String> problems = new ArrayList<>();
        // JVM and process families are bound per registry: each service has them.
        problems.addAll(CatalogDrift.catalogued(catalog, "teacher", teacher, e -> !e.isMesh()));
        problems.addAll(CatalogDrift.catalogued(catalog, "student", student,
                e -> !e.isMesh() && !e.name().startsWith("vertx_")));
        problems.addAll(CatalogDrift.catalogued(catalog, "evaluator", evaluator,
                e -> !e.isMesh() && !e.name().startsWith("vertx_")));
        // Vert.x puts the vertx_* families of every Vert.x in this JVM on the first registry (the teacher's):
        // docs/METRICS.md, registry notes. So the other services' are checked on the teacher's /metrics above.
        assertEquals(List.of(), problems, "docs/METRICS.md and the services disagree");
    }

    @Test
    void prometheusScrapesNonZeroTeacherAndStudentSeries() throws Exception {
        JsonObject teacher = awaitSample("dm_teacher_records_produced_total{job=\"" + TEACHER_JOB
                + "\",run=\"" + RunningMesh.RUN + "\"}");
        assertEquals(SAMPLES, value(teacher), teacher.encode());
        JsonObject student = awaitSample("dm_student_samples_trained_total{job=\"" + STUDENT_JOB
                + "\",run=\"" + RunningMesh.RUN + "\",student=\"" + RunningMesh.STUDENT + "\"}");
        assertTrue(value(student) > 0, student.encode());
        assertEquals(mesh.studentSamplesTrained(), value(student), student.encode());
    }

    @Test
    void prometheusScrapesTheEvaluatorsResultsAndTheIdleDistiller() throws Exception {
        JsonObject evaluated = awaitSample("dm_evaluator_evaluations_total{job=\"" + EVALUATOR_JOB
                + "\",kind=\"student-checkpoint\"} > 0");
        assertTrue(value(evaluated) >= 1, evaluated.encode());
        JsonObject accuracy = awaitSample("dm_evaluator_accuracy{job=\"" + EVALUATOR_JOB + "\",subject=\""
                + RunningMesh.STUDENT + "\"}");
        assertTrue(value(accuracy) > 0 && value(accuracy) <= 1, accuracy.encode());
        JsonObject jobs = awaitSample("sum(dm_distiller_jobs{job=\"" + DISTILLER_JOB + "\"})");
        assertEquals(0, value(jobs), "no distillation job was posted: " + jobs.encode());
    }

    @Test
    void everyJobOfTheShippedConfigHasItsServiceUp() throws Exception {
        awaitSample("count(up{job=~\"distill-mesh.*\"}) == 4");
        List<String> health = new ArrayList<>();
        for (Object target : prometheus.activeTargets()) {
            JsonObject t = (JsonObject) target;
            health.add(t.getJsonObject("labels").getString("job") + " " + t.getString("health"));
        }
        assertEquals(Stream.of(DISTILLER_JOB, EVALUATOR_JOB, STUDENT_JOB, TEACHER_JOB).map(job -> job + " up").toList(),
                health.stream().sorted().toList());
    }

    @Test
    void theShippedAlertRulesLoadEvaluateAndStayQuietOnAHealthyMesh() throws Exception {
        awaitSample("count_over_time(dm_student_consumer_lag{job=\"" + STUDENT_JOB + "\"}[1m]) > 3");
        Set<String> expected = AlertRules.load().stream().map(AlertRules.Rule::alert).collect(Collectors.toSet());
        List<JsonObject> rules = awaitEvaluatedRules(expected.size());
        assertEquals(expected, rules.stream().map(r -> r.getString("name")).collect(Collectors.toSet()));
        for (JsonObject rule : rules) {
            assertEquals("ok", rule.getString("health"), rule.encode());
            assertEquals("inactive", rule.getString("state"), "a healthy, finished mesh raises no alert: " + rule.encode());
        }
    }

    @Test
    void everyDashboardQueryRunsAndTheMeshPanelsHaveData() throws Exception {
        awaitSample("dm_student_samples_trained_total");
        awaitSample("count_over_time(up{job=\"" + STUDENT_JOB + "\"}[1m]) > 5");
        List<String> empty = new ArrayList<>();
        for (GrafanaDashboard.Query query : GrafanaDashboard.load().queries()) {
            if (query.expr().isEmpty()) {
                continue;
            }
            String expr = GrafanaDashboard.runnable(query.expr());
            JsonArray result = prometheus.query(expr);
            boolean servicesOnly = PromQlMetricNames.of(query.expr()).stream().allMatch(name ->
                    catalog.entries().stream().anyMatch(e -> e.seriesNames().contains(name)
                            && (e.sources().contains("teacher") || e.sources().contains("student"))));
            if (servicesOnly && result.isEmpty()) {
                empty.add(query.where() + ": " + expr);
            }
        }
        assertEquals(List.of(), empty, "dashboard queries on the services' metrics that find no series");
    }

    private static JsonObject awaitSample(String promQl) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            JsonArray result = prometheus.query(promQl);
            if (!result.isEmpty()) {
                assertEquals(1, result.size(), promQl + ": " + result.encode());
                return result.getJsonObject(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("prometheus has no " + promQl + " after " + WAIT + "; targets: "
                        + prometheus.activeTargets().encode() + "\nlog:\n" + prometheus.log());
            }
            Thread.sleep(500);
        }
    }

    private static List<JsonObject> awaitEvaluatedRules(int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<JsonObject> rules = new ArrayList<>();
            for (Object group : prometheus.ruleGroups()) {
                ((JsonObject) group).getJsonArray("rules").forEach(r -> rules.add((JsonObject) r));
            }
            boolean evaluated = rules.size() == count && rules.stream().noneMatch(r -> "unknown".equals(r.getString("health")));
            if (evaluated || System.nanoTime() > deadline) {
                return rules;
            }
            Thread.sleep(500);
        }
    }

    private static double value(JsonObject sample) {
        return Double.parseDouble(sample.getJsonArray("value").getString(1));
    }
}
