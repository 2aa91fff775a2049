package io.distillmesh.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects. Not a full parser: it drops string literals, label
 * matchers, ranges and Grafana variables, then keeps each identifier that is not a function (followed
 * by "("), an aggregation or other keyword, or a label in a by/without/on/ignoring/group_x list.
 */
final class PromQlMetricNames {
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2",
            // aggregations, which may be followed by "by (...)" before their "("
            "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
            "quantile", "limitk", "limit_ratio");
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern GRAFANA_VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+]]");
    private static final Pattern TOKEN = Pattern.compile(
            "(?<number>[0-9][0-9a-zA-Z_.]*(?:[eE][-+][0-9]+)?)|(?<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)|(?<other>\\S)");

    private PromQlMetricNames() {
    }

    static Set<String> of(String expr) {
        String text = STRING.matcher(expr).replaceAll("\"\"");
        text = GRAFANA_VARIABLE.matcher(text).replaceAll("1m");
        text = text.replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher token = TOKEN.matcher(text);
        boolean skipLabelList = false;
        int depth = 0;
        while (token.find()) {
            String ident = token.group("ident");
            String other = token.group("other");
            if (depth > 0) {
                depth += "(".equals(other) ? 1 : ")".equals(other) ? -1 : 0;
                continue;
            }
            if ("(".equals(other) && skipLabelList) {
                depth = 1;
                skipLabelList = false;
                continue;
            }
            skipLabelList = ident != null && LABEL_LISTS.contains(ident.toLowerCase());
            if (ident == null || KEYWORDS.contains(ident.toLowerCase()) || followedByParenthesis(text, token.end())) {
                continue;
            }
            names.add(ident);
        }
        return names;
    }

    private static boolean followedByParenthesis(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }
}
