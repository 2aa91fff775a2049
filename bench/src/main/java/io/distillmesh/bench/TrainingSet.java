package io.distillmesh.bench;

import java.util.Arrays;
import java.util.Random;

/**
 * What one arm trains on: rows of the training images ({@code ids}) and, per row, its class label or −1
 * where the arm may not see the label.
 */
record TrainingSet(String name, int[] ids, int[] labels) {
    static final int UNLABELLED = -1;

    TrainingSet {
        if (ids.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + ids.length + " ids but " + labels.length + " labels");
        }
    }

    /** The first {@code n} images, all labelled. */
    static TrainingSet head(int[] allLabels, int n) {
        int[] ids = Ranges.of(0, n);
        return new TrainingSet("first " + n, ids, Arrays.copyOf(allLabels, n));
    }

    /** Only the images in {@code labelledIds}, with their labels. */
    static TrainingSet only(int[] allLabels, int[] labelledIds) {
        int[] labels = new int[labelledIds.length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = allLabels[labelledIds[i]];
        }
        return new TrainingSet(labelledIds.length + " labelled", labelledIds.clone(), labels);
    }

    /** All images, labelled only where listed in {@code labelledIds}. */
    static TrainingSet partiallyLabelled(int[] allLabels, int[] labelledIds) {
        int[] labels = new int[allLabels.length];
        Arrays.fill(labels, UNLABELLED);
        for (int id : labelledIds) {
            labels[id] = allLabels[id];
        }
        return new TrainingSet(allLabels.length + " (" + labelledIds.length + " labelled)",
                Ranges.of(0, allLabels.length), labels);
    }

    /** {@code count} distinct ids out of {@code 0..total-1}, drawn with {@code seed}, in increasing order. */
    static int[] randomIds(int total, int count, long seed) {
        int[] all = Ranges.of(0, total);
        Random rnd = new Random(seed);
        for (int i = 0; i < count; i++) {
            int j = i + rnd.nextInt(total - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] chosen = Arrays.copyOf(all, count);
        Arrays.sort(chosen);
        return chosen;
    }

    int size() {
        return ids.length;
    }
}
