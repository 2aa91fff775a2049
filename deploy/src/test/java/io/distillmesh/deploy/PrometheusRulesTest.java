package io.distillmesh.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/prometheus passes promtool (config, rules, the rules' unit tests), promtool's failures reach
 * this test, and the alert rules name only catalogued metrics. Needs promtool: fails, not skips, without it.
 */
class PrometheusRulesTest {
    private static final Path DIR = RepoFiles.path("deploy/prometheus");

    @Test
    void promtoolAcceptsTheScrapeConfigAndItsRules() throws Exception {
        PrometheusBinaries.Result config = PrometheusBinaries.promtool(DIR, "check", "config", "prometheus.yml");
        assertTrue(config.ok(), config.output());
        assertTrue(config.output().contains("SUCCESS: 1 rule files found"), "prometheus.yml loads alerts.yml: " + config.output());
        PrometheusBinaries.Result rules = PrometheusBinaries.promtool(DIR, "check", "rules", "alerts.yml");
        assertTrue(rules.ok(), rules.output());
    }

    @Test
    void theAlertRulesPassTheirUnitTests() throws Exception {
        PrometheusBinaries.Result tests = PrometheusBinaries.promtool(DIR, "test", "rules", "alerts-test.yml");
        assertTrue(tests.ok(), tests.output());
        assertTrue(tests.output().contains("SUCCESS"), tests.output());
    }

    @Test
    void promtoolFailuresReachThisTest(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yml"), """
                groups:
                  - name: broken
                    rules:
                      - alert: Broken
                        expr: rate(dm_dead_letters_total[5m] > 0
                """);
        PrometheusBinaries.Result broken = PrometheusBinaries.promtool(dir, "check", "rules", "broken.yml");
        assertFalse(broken.ok(), "a rule that does not parse must fail: " + broken.output());

        Files.copy(RepoFiles.path(RepoFiles.ALERT_RULES), dir.resolve("alerts.yml"));
        Files.writeString(dir.resolve("wrong-test.yml"), """
                rule_files: [alerts.yml]
                evaluation_interval: 1m
                tests:
                  - interval: 1m
                    input_series:
                      - series: 'dm_dead_letters_total{service="student"}'
                        values: '0 0 3 3 3'
                    alert_rule_test:
                      - eval_time: 4m
                        alertname: DistillMeshDeadLetters
                        exp_alerts: []
                """);
        PrometheusBinaries.Result wrong = PrometheusBinaries.promtool(dir, "test", "rules", "wrong-test.yml");
        assertFalse(wrong.ok(), "a rule test expecting silence while dead letters arrive must fail: " + wrong.output());
        assertTrue(wrong.output().contains("DistillMeshDeadLetters"), wrong.output());
    }

    @Test
    void theAlertsCoverTheIssueAndNameOnlyCataloguedMetrics() {
        MetricCatalog catalog = MetricCatalog.load();
        List<AlertRules.Rule> rules = AlertRules.load();
        assertEquals(Set.of("DistillMeshConsumerLagGrowing", "DistillMeshDeadLetters", "DistillMeshStudentNoProgress",
                        "DistillMeshTargetDown", "DistillMeshPodRestarting", "DistillMeshDistillJobFailed",
                        "DistillMeshDistillJobStalled"),
                rules.stream().map(AlertRules.Rule::alert).collect(Collectors.toSet()));
        List<String> unknown = new ArrayList<>();
        for (AlertRules.Rule rule : rules) {
            Set<String> names = catalog.unknownNamesIn(rule.expr());
            if (!names.isEmpty()) {
                unknown.add(rule.alert() + ": " + names);
            }
            assertFalse(PromQlMetricNames.of(rule.expr()).isEmpty(), rule.alert() + " selects no metric: " + rule.expr());
        }
        assertEquals(List.of(), unknown, "alert rules name metrics docs/METRICS.md does not list");
    }
}
