package io.distillmesh.deploy;

import org.yaml.snakeyaml.Yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The alert rules of a Prometheus rule file: each alert's name and expression. */
final class AlertRules {
    record Rule(String alert, String expr) {
    }

    private AlertRules() {
    }

    static List<Rule> load() {
        return parse(RepoFiles.read(RepoFiles.ALERT_RULES));
    }

    @SuppressWarnings("unchecked")
    static List<Rule> parse(String yaml) {
        Map<String, Object> file = new Yaml().load(yaml);
        List<Rule> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                if (rule.containsKey("alert")) {
                    rules.add(new Rule((String) rule.get("alert"), String.valueOf(rule.get("expr"))));
                }
            }
        }
        return rules;
    }
}
