package io.distillmesh.deploy;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The metric families in a Prometheus text exposition (what /metrics serves): each family's type from
 * its {@code # TYPE} line and the label names its samples carry (without a histogram's {@code le} or a
 * summary's {@code quantile}).
 */
final class Exposition {
    record Family(String name, String type, Set<String> labels) {
    }

    private static final Set<String> SUFFIXES = Set.of("_bucket", "_sum", "_count", "_created");
    private final Map<String, Family> families;

    private Exposition(Map<String, Family> families) {
        this.families = families;
    }

    static Exposition parse(String text) {
        Map<String, String> types = new TreeMap<>();
        Map<String, Set<String>> labels = new TreeMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split("\\s+");
                if (parts.length != 4) {
                    throw new IllegalArgumentException("bad TYPE line: " + line);
                }
                types.put(parts[2], parts[3]);
                labels.putIfAbsent(parts[2], new TreeSet<>());
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                sample(line, types, labels);
            }
        }
        Map<String, Family> families = new TreeMap<>();
        types.forEach((name, type) -> families.put(name, new Family(name, type, labels.get(name))));
        return new Exposition(families);
    }

    private static void sample(String line, Map<String, String> types, Map<String, Set<String>> labels) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        int end = brace >= 0 && (space < 0 || brace < space) ? brace : space;
        if (end <= 0) {
            throw new IllegalArgumentException("bad sample line: " + line);
        }
        String family = familyOf(line.substring(0, end), types);
        if (family == null) {
            throw new IllegalArgumentException("sample without a # TYPE line: " + line);
        }
        if (end == brace) {
            for (String label : labelNames(line.substring(brace + 1), line)) {
                if (!label.equals("le") && !label.equals("quantile")) {
                    labels.get(family).add(label);
                }
            }
        }
    }

    private static String familyOf(String series, Map<String, String> types) {
        if (types.containsKey(series)) {
            return series;
        }
        for (String suffix : SUFFIXES) {
            if (series.endsWith(suffix)) {
                String base = series.substring(0, series.length() - suffix.length());
                if (types.containsKey(base)) {
                    return base;
                }
            }
        }
        return null;
    }

    /** Label names of {@code a="x",b="y\"z"} ... up to the closing brace. */
    private static Set<String> labelNames(String rest, String line) {
        Set<String> names = new TreeSet<>();
        int i = 0;
        while (i < rest.length() && rest.charAt(i) != '}') {
            int eq = rest.indexOf("=\"", i);
            if (eq < 0) {
                throw new IllegalArgumentException("bad labels: " + line);
            }
            names.add(rest.substring(i, eq).strip());
            i = eq + 2;
            while (i < rest.length() && rest.charAt(i) != '"') {
                i += rest.charAt(i) == '\\' ? 2 : 1;
            }
            i++;
            if (i < rest.length() && rest.charAt(i) == ',') {
                i++;
            }
        }
        if (i >= rest.length()) {
            throw new IllegalArgumentException("unclosed labels: " + line);
        }
        return names;
    }

    Map<String, Family> families() {
        return families;
    }
}
