package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Picks real images laid out like a distilled set: for every batch, M distinct random images of each
 * class in class order (row r of a batch belongs to class r / M). Used to initialise distilled images
 * from real ones and for the random-real-images baseline.
 */
final class RealImagePicker {
    private RealImagePicker() {
    }

    static int[] balanced(LabelledImages real, DistillationSchedule schedule, Random rnd) {
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < schedule.classes(); c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < real.size(); i++) {
            byClass.get(real.labels()[i]).add(i);
        }
        int needed = schedule.steps() * schedule.imagesPerClass();
        for (int c = 0; c < schedule.classes(); c++) {
            if (byClass.get(c).size() < needed) {
                throw new IllegalArgumentException(real.name() + " has " + byClass.get(c).size() + " images of class "
                        + c + ", need " + needed + " (steps × images per class)");
            }
            Collections.shuffle(byClass.get(c), rnd);
        }
        int[] picks = new int[schedule.totalImages()];
        int i = 0;
        for (int s = 0; s < schedule.steps(); s++) {
            for (int c = 0; c < schedule.classes(); c++) {
                for (int m = 0; m < schedule.imagesPerClass(); m++) {
                    picks[i++] = byClass.get(c).get(s * schedule.imagesPerClass() + m);
                }
            }
        }
        return picks;
    }
}
