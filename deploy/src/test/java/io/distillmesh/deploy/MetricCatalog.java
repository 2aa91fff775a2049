package io.distillmesh.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The metric catalog of docs/METRICS.md: every markdown table whose header is
 * {@code | metric | type | labels | emitted by | meaning |}. Anything else in the document is prose.
 * Rows are checked as they are read; a malformed row is refused with its line number.
 */
final class MetricCatalog {
    static final List<String> HEADER = List.of("metric", "type", "labels", "emitted by", "meaning");
    static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary");
    static final Set<String> SOURCES = Set.of("teacher", "student", "evaluator", "distiller", "kube-state-metrics",
            "prometheus");
    static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    /** One catalogued family, named as Prometheus shows it (counters with _total, timers in seconds). */
    record Entry(String name, String type, Set<String> labels, Set<String> sources, String meaning) {
        boolean isMesh() {
            return name.startsWith("dm_");
        }

        /** The series names this family exposes: a histogram's _bucket, _sum, _count; a summary's _sum, _count. */
        Set<String> seriesNames() {
            return switch (type) {
                case "histogram" -> Set.of(name, name + "_bucket", name + "_sum", name + "_count");
                case "summary" -> Set.of(name, name + "_sum", name + "_count");
                default -> Set.of(name);
            };
        }
    }

    private final Map<String, Entry> entries;

    private MetricCatalog(Map<String, Entry> entries) {
        this.entries = entries;
    }

    static MetricCatalog load() {
        return parse(RepoFiles.read(RepoFiles.CATALOG));
    }

    static MetricCatalog parse(String markdown) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        String[] lines = markdown.split("\n", -1);
        boolean inCatalogTable = false;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith("|")) {
                inCatalogTable = false;
                continue;
            }
            List<String> cells = cells(line);
            if (cells.stream().map(c -> c.toLowerCase()).toList().equals(HEADER)) {
                inCatalogTable = true;
                continue;
            }
            if (!inCatalogTable || cells.stream().allMatch(c -> c.matches(":?-+:?"))) {
                continue;
            }
            Entry entry = entry(cells, i + 1);
            if (entries.put(entry.name(), entry) != null) {
                throw new IllegalArgumentException("line " + (i + 1) + ": " + entry.name() + " is catalogued twice");
            }
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("no catalog table (header " + HEADER + ") found");
        }
        return new MetricCatalog(entries);
    }

    private static Entry entry(List<String> cells, int line) {
        if (cells.size() != HEADER.size()) {
            throw new IllegalArgumentException("line " + line + ": expected " + HEADER.size() + " cells, got " + cells);
        }
        String name = unquote(cells.get(0));
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("line " + line + ": not a metric name: " + cells.get(0));
        }
        String type = cells.get(1).toLowerCase();
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("line " + line + ": type must be one of " + TYPES + ", got " + type);
        }
        Set<String> labels = list(cells.get(2)).stream().map(MetricCatalog::unquote).collect(Collectors.toSet());
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException("line " + line + ": not a label name: " + label);
            }
        }
        Set<String> sources = Set.copyOf(list(cells.get(3)));
        if (sources.isEmpty() || !SOURCES.containsAll(sources)) {
            throw new IllegalArgumentException("line " + line + ": emitted by must be some of " + SOURCES + ", got " + sources);
        }
        if (cells.get(4).isBlank()) {
            throw new IllegalArgumentException("line " + line + ": " + name + " has no meaning");
        }
        return new Entry(name, type, labels, sources, cells.get(4));
    }

    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
    }

    /** A comma-separated cell; "—", "-" or empty means none. */
    private static List<String> list(String cell) {
        if (cell.isEmpty() || cell.equals("—") || cell.equals("-")) {
            return List.of();
        }
        return Arrays.stream(cell.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static String unquote(String cell) {
        return cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
    }

    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    Entry get(String family) {
        return entries.get(family);
    }

    /** The catalogued families a source emits. */
    List<Entry> emittedBy(String source) {
        return entries.values().stream().filter(e -> e.sources().contains(source)).toList();
    }

    /** The metric names a PromQL expression selects that this catalog does not know. */
    Set<String> unknownNamesIn(String promQl) {
        Set<String> unknown = new java.util.TreeSet<>(PromQlMetricNames.of(promQl));
        unknown.removeIf(this::knowsSeries);
        return unknown;
    }

    /** Whether a series name PromQL may select (a family, or a histogram/summary's _bucket/_sum/_count) is catalogued. */
    boolean knowsSeries(String seriesName) {
        return entries.values().stream().anyMatch(e -> e.seriesNames().contains(seriesName));
    }
}
