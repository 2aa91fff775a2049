package io.distillmesh.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/METRICS.md parses, uses only bounded labels; the catalog, exposition and PromQL readers work and refuse bad input. */
class MetricCatalogTest {
    private static final Set<String> BOUNDED_MESH_LABELS = Set.of("run", "student", "group", "service", "kind", "reason", "subject",
            "state", "distill_job", "step", "kernel");
    private static final String HEADER = "| metric | type | labels | emitted by | meaning |\n|---|---|---|---|---|\n";

    @Test
    void theCatalogListsTheMeshMetricsWithBoundedLabelsOnly() {
        MetricCatalog catalog = MetricCatalog.load();
        Set<String> mesh = catalog.entries().stream().filter(MetricCatalog.Entry::isMesh)
                .map(MetricCatalog.Entry::name).collect(Collectors.toSet());
        assertTrue(mesh.containsAll(Set.of("dm_teacher_records_produced_total", "dm_teacher_inference_seconds",
                "dm_student_records_consumed_total", "dm_student_samples_trained_total", "dm_student_training_loss",
                "dm_student_consumer_lag", "dm_dead_letters_total")), mesh.toString());
        for (MetricCatalog.Entry entry : catalog.entries()) {
            if (entry.isMesh()) {
                assertTrue(BOUNDED_MESH_LABELS.containsAll(entry.labels()), entry.name() + " has unbounded labels " + entry.labels());
                assertTrue(Set.of("teacher", "student", "evaluator", "distiller").containsAll(entry.sources()), entry.name() + ": " + entry.sources());
            }
        }
        assertTrue(catalog.knowsSeries("dm_teacher_inference_seconds_bucket"));
        assertTrue(catalog.knowsSeries("kube_pod_container_status_restarts_total"));
    }

    @Test
    void malformedCatalogRowsAreRefusedWithTheirLine() {
        String good = "| `dm_a_total` | counter | `run` | teacher | a |\n";
        assertEquals(1, MetricCatalog.parse("# x\n\n" + HEADER + good).entries().size());
        assertRefused("expected 5 cells", HEADER + "| `dm_a_total` | counter | teacher | a |\n");
        assertRefused("type must be one of", HEADER + "| `dm_a_total` | countr | `run` | teacher | a |\n");
        assertRefused("not a metric name", HEADER + "| `dm-a` | counter | `run` | teacher | a |\n");
        assertRefused("emitted by must be", HEADER + "| `dm_a_total` | counter | `run` | trainer | a |\n");
        assertRefused("catalogued twice", HEADER + good + good);
        assertRefused("line 5: dm_a_total has no meaning", "text\n\n" + HEADER + "| `dm_a_total` | counter | `run` | teacher | |\n");
        assertRefused("no catalog table", "| name | type |\n|---|---|\n| `dm_a_total` | counter |\n");
    }

    private static void assertRefused(String reason, String markdown) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricCatalog.parse(markdown));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void theExpositionReaderGroupsSeriesIntoFamiliesWithTheirLabels() {
        Exposition exposition = Exposition.parse("""
                # HELP dm_x_seconds time
                # TYPE dm_x_seconds histogram
                dm_x_seconds_bucket{run="a",le="0.1"} 1
                dm_x_seconds_bucket{run="a",le="+Inf"} 2
                dm_x_seconds_count{run="a"} 2
                dm_x_seconds_sum{run="a"} 0.3
                # TYPE dm_y_total counter
                dm_y_total{service="s,\\"t}",group="g"} 4.0
                # TYPE up gauge
                up 1
                """);
        assertEquals(Set.of("dm_x_seconds", "dm_y_total", "up"), exposition.families().keySet());
        assertEquals(new Exposition.Family("dm_x_seconds", "histogram", Set.of("run")), exposition.families().get("dm_x_seconds"));
        assertEquals(Set.of("group", "service"), exposition.families().get("dm_y_total").labels());
        assertEquals(Set.of(), exposition.families().get("up").labels());
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("dm_z 1\n"));
    }

    @Test
    void catalogDriftReportsMissingExtraMistypedAndRelabelledFamilies() {
        MetricCatalog catalog = MetricCatalog.parse(HEADER + """
                | `dm_a_total` | counter | `run` | teacher | a |
                | `dm_b` | gauge | `run` | teacher | b |
                | `dm_c` | gauge | `run` | teacher | c |
                | `dm_d` | gauge | — | student | d |
                """);
        Exposition exposition = Exposition.parse("""
                # TYPE dm_a_total counter
                dm_a_total{run="r"} 1
                # TYPE dm_b counter
                dm_b{run="r"} 1
                # TYPE dm_d gauge
                dm_d 1
                # TYPE dm_e gauge
                dm_e{sample="7"} 1
                """);
        List<String> problems = CatalogDrift.meshFamilies(catalog, "teacher", exposition);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.contains("dm_b is a counter on teacher, docs/METRICS.md says gauge"), problems.toString());
        assertTrue(problems.contains("teacher does not expose dm_c, which docs/METRICS.md lists for it"), problems.toString());
        assertTrue(problems.contains("teacher exposes dm_d, which docs/METRICS.md lists for [student] only"), problems.toString());
        assertTrue(problems.get(3).startsWith("teacher exposes dm_e (gauge, labels [sample])"), problems.toString());
        Exposition relabelled = Exposition.parse("# TYPE dm_d gauge\ndm_d{sample=\"1\"} 1\n");
        assertEquals(List.of("dm_d has labels [sample] on student, docs/METRICS.md says []"),
                CatalogDrift.meshFamilies(catalog, "student", relabelled));
    }

    @Test
    void promQlNamesAreTheSelectedMetricsOnly() {
        assertEquals(Set.of("dm_x_seconds_bucket"), PromQlMetricNames.of(
                "histogram_quantile(0.95, sum by (le, run) (rate(dm_x_seconds_bucket{run=~\"a|b\", x=\"}\"}[$__rate_interval])))"));
        assertEquals(Set.of("process_cpu_usage", "system_cpu_count"), PromQlMetricNames.of(
                "process_cpu_usage{job=~\"$job\"} * on (job, instance) group_left(pool) system_cpu_count"));
        assertEquals(Set.of("a_total", "b"), PromQlMetricNames.of(
                "max_over_time(a_total[5m:1m] offset 1h) / ignoring(group) 1e3 > bool b unless on() vector(0)"));
        assertEquals(Set.of("dm_lag"), PromQlMetricNames.of("sum without (group) (dm_lag) > 1000 and deriv(dm_lag[10m]) > 0"));
        assertEquals(Set.of(), PromQlMetricNames.of("vector(1) + time()"));
        assertEquals("dm_s_total{run=~\"$run\"}", GrafanaDashboard.variableSelector("label_values(dm_s_total{run=~\"$run\"}, student)"));
        assertEquals("", GrafanaDashboard.variableSelector("label_values(run)"));
    }

    @Test
    void aQueryNamingAMetricNotInTheCatalogIsCaught() {
        MetricCatalog catalog = MetricCatalog.load();
        assertEquals(Set.of(), catalog.unknownNamesIn("sum by (run) (rate(dm_teacher_records_produced_total[5m]))"));
        assertEquals(Set.of("dm_teacher_records_made_total"),
                catalog.unknownNamesIn("sum by (run) (rate(dm_teacher_records_made_total[5m]))"));
        assertEquals(Set.of("dm_student_training_loss_bucket"), catalog.unknownNamesIn(
                "histogram_quantile(0.9, rate(dm_student_training_loss_bucket[5m]))"), "a gauge has no buckets");
        assertEquals(Set.of("dm_student_consumer_lag_total"), catalog.unknownNamesIn("dm_student_consumer_lag_total > 0"));
    }
}
