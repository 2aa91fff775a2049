package io.distillmesh.deploy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** deploy/grafana/distill-mesh.json: every query names catalogued metrics, every mesh metric has a panel, panels are well formed. */
class GrafanaDashboardTest {
    private static final String DATASOURCE_UID = "${datasource}";

    @Test
    void everyQueryNamesOnlyCataloguedMetrics() {
        MetricCatalog catalog = MetricCatalog.load();
        List<GrafanaDashboard.Query> queries = GrafanaDashboard.load().queries();
        assertTrue(queries.size() >= 20, "queries: " + queries.size());
        assertEquals(List.of(), unknownNames(catalog, queries), "dashboard queries name metrics docs/METRICS.md does not list");
    }

    @Test
    void aDashboardQueryNamingAnUnknownMetricIsCaught() {
        GrafanaDashboard bad = new GrafanaDashboard("""
                {"panels": [{"type": "row", "title": "r", "panels": [
                   {"type": "timeseries", "title": "made up", "targets": [
                     {"refId": "A", "expr": "sum by (run) (rate(dm_teacher_samples_total{run=~\\"$run\\"}[$__rate_interval]))"}]}]}],
                 "templating": {"list": [{"type": "query", "name": "student",
                   "query": {"query": "label_values(dm_student_accuracy{run=~\\"$run\\"}, student)"}}]}}
                """);
        assertEquals(List.of("made up: [dm_teacher_samples_total]", "variable $student: [dm_student_accuracy]"),
                unknownNames(MetricCatalog.load(), bad.queries()));
    }

    private static List<String> unknownNames(MetricCatalog catalog, List<GrafanaDashboard.Query> queries) {
        List<String> unknown = new ArrayList<>();
        for (GrafanaDashboard.Query query : queries) {
            Set<String> names = catalog.unknownNamesIn(query.expr());
            if (!names.isEmpty()) {
                unknown.add(query.where() + ": " + names);
            }
        }
        return unknown;
    }

    @Test
    void everyMeshMetricInTheCatalogHasAPanel() {
        Set<String> referenced = new HashSet<>();
        GrafanaDashboard.load().queries().forEach(q -> referenced.addAll(PromQlMetricNames.of(q.expr())));
        List<String> missing = MetricCatalog.load().entries().stream().filter(MetricCatalog.Entry::isMesh)
                .filter(e -> e.seriesNames().stream().noneMatch(referenced::contains))
                .map(MetricCatalog.Entry::name).toList();
        assertEquals(List.of(), missing, "catalogued mesh metrics without a panel");
    }

    @Test
    void panelsAreWellFormed() {
        GrafanaDashboard dashboard = GrafanaDashboard.load();
        assertEquals("distill-mesh", dashboard.json().getString("uid"));
        assertTrue(dashboard.json().getJsonObject("templating").getJsonArray("list").stream()
                .map(JsonObject.class::cast).anyMatch(v -> "datasource".equals(v.getString("type"))
                        && "datasource".equals(v.getString("name"))), "a $datasource variable");
        Set<Integer> ids = new HashSet<>();
        for (JsonObject panel : dashboard.panels()) {
            String title = panel.getString("title");
            assertTrue(ids.add(panel.getInteger("id")), "duplicate panel id " + panel.getInteger("id") + " (" + title + ")");
            assertFalse(title == null || title.isBlank(), "untitled panel " + panel.getInteger("id"));
            JsonObject grid = panel.getJsonObject("gridPos");
            assertTrue(grid != null && grid.getInteger("w") > 0 && grid.getInteger("x") + grid.getInteger("w") <= 24,
                    title + ": gridPos " + grid);
            if (!"row".equals(panel.getString("type"))) {
                assertEquals(DATASOURCE_UID, panel.getJsonObject("datasource").getString("uid"), title);
                assertFalse(panel.getJsonArray("targets").isEmpty(), title + " has no query");
            }
        }
    }
}
