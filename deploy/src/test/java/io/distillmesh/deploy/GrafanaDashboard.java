package io.distillmesh.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Grafana dashboard's JSON: its panels (rows' nested ones included) and every PromQL query in it. */
final class GrafanaDashboard {
    /** A PromQL query and where it is (panel title or variable name). */
    record Query(String where, String expr) {
    }

    /** label_values(selector, label): only the selector names metrics; label_values(label) names none. */
    private static final Pattern LABEL_VALUES = Pattern.compile("\\s*label_values\\((?:(.*),)?\\s*\\w+\\s*\\)\\s*");
    private final JsonObject json;

    GrafanaDashboard(String json) {
        this.json = new JsonObject(json);
    }

    static GrafanaDashboard load() {
        return new GrafanaDashboard(RepoFiles.read(RepoFiles.DASHBOARD));
    }

    JsonObject json() {
        return json;
    }

    List<JsonObject> panels() {
        List<JsonObject> out = new ArrayList<>();
        collectPanels(json.getJsonArray("panels", new JsonArray()), out);
        return out;
    }

    private static void collectPanels(JsonArray panels, List<JsonObject> out) {
        for (int i = 0; i < panels.size(); i++) {
            JsonObject panel = panels.getJsonObject(i);
            out.add(panel);
            collectPanels(panel.getJsonArray("panels", new JsonArray()), out);
        }
    }

    /** Panel target expressions, then the PromQL selectors of query variables. */
    List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (JsonObject panel : panels()) {
            JsonArray targets = panel.getJsonArray("targets", new JsonArray());
            for (int i = 0; i < targets.size(); i++) {
                String expr = targets.getJsonObject(i).getString("expr");
                if (expr == null || expr.isBlank()) {
                    throw new IllegalArgumentException("panel '" + panel.getString("title") + "' has a target without expr");
                }
                out.add(new Query(panel.getString("title"), expr));
            }
        }
        JsonArray variables = json.getJsonObject("templating", new JsonObject()).getJsonArray("list", new JsonArray());
        for (int i = 0; i < variables.size(); i++) {
            JsonObject variable = variables.getJsonObject(i);
            if ("query".equals(variable.getString("type"))) {
                Object query = variable.getValue("query");
                String text = query instanceof JsonObject q ? q.getString("query") : (String) query;
                out.add(new Query("variable $" + variable.getString("name"), variableSelector(text)));
            }
        }
        return out;
    }

    /** The PromQL part of a variable query: label_values' selector, else the query itself (query_result(...)). */
    static String variableSelector(String query) {
        Matcher m = LABEL_VALUES.matcher(query);
        if (m.matches()) {
            return m.group(1) == null ? "" : m.group(1).strip();
        }
        return query;
    }

    /** The expression as Prometheus can run it: Grafana's variables replaced by "all" and a 1m interval. */
    static String runnable(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h")
                .replaceAll("\\$\\{?\\w+}?", ".*");
    }
}
