package io.distillmesh.bench;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The specialist experiment's result tables: generalist alone vs generalist + specialists on the evaluation images,
 * overall, on each group's classes and by how many groups cover the true class (the paper's table 5), with the mean
 * over seeds and a paired bootstrap interval over the images.
 */
final class SpecialistTables {
    private final LabelledImages evaluation;
    private final int[] alone;
    private final List<int[]> groups;

    SpecialistTables(LabelledImages evaluation, int[] alone, List<int[]> groups) {
        this.evaluation = evaluation;
        this.alone = alone;
        this.groups = groups;
    }

    /** One table for one way of combining, from each seed's combined predictions. */
    void print(String combination, List<int[]> combinedBySeed) {
        System.out.println();
        System.out.println("With " + combination + ":");
        System.out.println();
        System.out.println("| test images | n | generalist acc % | generalist + specialists acc % (mean ± std over"
                + " seeds) | Δ pp, mean over seeds [95 % bootstrap interval over images] |");
        System.out.println("|---|---|---|---|---|");
        row("all", combinedBySeed, c -> true);
        for (int[] group : groups) {
            row(names(group), combinedBySeed, c -> covers(group, c));
        }
        for (int g = 0; g <= groups.size(); g++) {
            int count = g;
            IntPredicate covered = c -> groups.stream().filter(group -> covers(group, c)).count() == count;
            if (Arrays.stream(evaluation.labels()).anyMatch(covered)) {
                row("true class in " + g + " group(s)", combinedBySeed, covered);
            }
        }
    }

    static double accuracy(int[] predicted, LabelledImages data, IntPredicate inRow) {
        int n = 0;
        int right = 0;
        for (int i = 0; i < data.size(); i++) {
            if (inRow.test(data.labels()[i])) {
                n++;
                right += predicted[i] == data.labels()[i] ? 1 : 0;
            }
        }
        return 100.0 * right / n;
    }

    static String names(int[] group) {
        return Arrays.stream(group).mapToObj(FashionMnist.CLASS_NAMES::get).collect(Collectors.joining(", "));
    }

    private void row(String name, List<int[]> combinedBySeed, IntPredicate inRow) {
        int[] rows = IntStream.range(0, evaluation.size()).filter(i -> inRow.test(evaluation.labels()[i])).toArray();
        double[] differences = new double[rows.length];
        double[] perSeed = new double[combinedBySeed.size()];
        for (int s = 0; s < combinedBySeed.size(); s++) {
            int[] combined = combinedBySeed.get(s);
            int right = 0;
            for (int j = 0; j < rows.length; j++) {
                int i = rows[j];
                int label = evaluation.labels()[i];
                right += combined[i] == label ? 1 : 0;
                differences[j] += ((combined[i] == label ? 1 : 0) - (alone[i] == label ? 1 : 0))
                        / (double) combinedBySeed.size();
            }
            perSeed[s] = (double) right / rows.length;
        }
        System.out.printf("| %s | %d | %.2f | %s | %s |%n", name, rows.length, accuracy(alone, evaluation, inRow),
                Stats.of(perSeed).percent(), PairedBootstrap.of(differences, 2000, 0.95, 7).signedPercent());
    }

    private static boolean covers(int[] group, int c) {
        return Arrays.stream(group).anyMatch(g -> g == c);
    }
}
