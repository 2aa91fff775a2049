package io.distillmesh.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Outcomes grouped by row (arm), summarised as a markdown table: test accuracy mean ± std over seeds, the paired
 * difference to the baseline row (same seed), train accuracy where measured, SGD steps and seconds per run.
 */
final class ResultTable {
    private final Map<String, List<ArmOutcome>> rows = new LinkedHashMap<>();
    private final List<Reference> references = new ArrayList<>();

    void add(String row, ArmOutcome outcome) {
        rows.computeIfAbsent(row, r -> new ArrayList<>()).add(outcome);
    }

    void add(ArmOutcome outcome) {
        add(outcome.arm().label(), outcome);
    }

    /** A fixed model shown for comparison (no seeds), such as the teacher. */
    void addReference(String name, double testAccuracy, double trainAccuracy) {
        references.add(new Reference(name, testAccuracy, trainAccuracy));
    }

    String markdown() {
        boolean train = trainColumn();
        StringBuilder out = new StringBuilder();
        out.append("| arm | test acc % (mean ± std) | Δ test vs baseline, pp (paired) |")
                .append(train ? " train acc % (mean ± std) |" : "")
                .append(" SGD steps per run | seconds per run | seeds |\n");
        out.append("|---|---|---|").append(train ? "---|" : "").append("---|---|---|\n");
        Map<Long, Double> baseline = baselineBySeed();
        for (Map.Entry<String, List<ArmOutcome>> row : rows.entrySet()) {
            List<ArmOutcome> outcomes = row.getValue();
            out.append("| ").append(row.getKey())
                    .append(" | ").append(stats(outcomes, ArmOutcome::testAccuracy).percent())
                    .append(" | ").append(delta(outcomes, baseline));
            if (train) {
                out.append(" | ").append(stats(outcomes, ArmOutcome::trainAccuracy).percent());
            }
            out.append(" | ").append(steps(outcomes))
                    .append(" | ").append(String.format("%.0f", stats(outcomes, ArmOutcome::seconds).mean()))
                    .append(" | ").append(outcomes.stream().map(o -> Long.toString(o.seed())).collect(Collectors.joining(",")))
                    .append(" |\n");
        }
        for (Reference r : references) {
            out.append(String.format("| %s | %.2f | — |", r.name(), 100 * r.testAccuracy()))
                    .append(train ? String.format(" %.2f |", 100 * r.trainAccuracy()) : "")
                    .append(" — | — | — |\n");
        }
        return out.toString();
    }

    private boolean trainColumn() {
        return rows.values().stream().flatMap(List::stream).anyMatch(o -> !Double.isNaN(o.trainAccuracy()));
    }

    private Map<Long, Double> baselineBySeed() {
        Map<Long, Double> bySeed = new LinkedHashMap<>();
        rows.values().stream().flatMap(List::stream).filter(o -> o.arm().isBaseline())
                .forEach(o -> bySeed.putIfAbsent(o.seed(), o.testAccuracy()));
        return bySeed;
    }

    private static String delta(List<ArmOutcome> outcomes, Map<Long, Double> baseline) {
        if (outcomes.stream().allMatch(o -> o.arm().isBaseline()) || baseline.isEmpty()) {
            return "—";
        }
        double[] diffs = outcomes.stream().filter(o -> baseline.containsKey(o.seed()))
                .mapToDouble(o -> o.testAccuracy() - baseline.get(o.seed())).toArray();
        return Stats.of(diffs).signedPercent();
    }

    private static String steps(List<ArmOutcome> outcomes) {
        long min = outcomes.stream().mapToLong(ArmOutcome::steps).min().orElse(0);
        long max = outcomes.stream().mapToLong(ArmOutcome::steps).max().orElse(0);
        return min == max ? Long.toString(min) : min + "–" + max;
    }

    private static Stats stats(List<ArmOutcome> outcomes, ToDoubleFunction<ArmOutcome> field) {
        return Stats.of(outcomes.stream().mapToDouble(field).toArray());
    }

    private record Reference(String name, double testAccuracy, double trainAccuracy) {
    }
}
