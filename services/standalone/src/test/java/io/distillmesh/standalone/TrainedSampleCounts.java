package io.distillmesh.standalone;

import io.distillmesh.student.StudentTrainingLoop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/** How often one student trained each (pass, sample id), for sample ids 0 to samples - 1. */
final class TrainedSampleCounts implements StudentTrainingLoop.TrainedBatchListener {
    private static final int SHOWN = 5;
    private final int passes;
    private final int samples;
    private final AtomicIntegerArray counts;
    private final AtomicLong outOfRange = new AtomicLong();

    TrainedSampleCounts(int passes, int samples) {
        this.passes = passes;
        this.samples = samples;
        this.counts = new AtomicIntegerArray(passes * samples);
    }

    @Override
    public void onBatch(int pass, long[] sampleIds) {
        for (long id : sampleIds) {
            if (pass < 0 || pass >= passes || id < 0 || id >= samples) {
                outOfRange.incrementAndGet();
            } else {
                counts.incrementAndGet(pass * samples + (int) id);
            }
        }
    }

    /** Empty when every sample of every pass was trained exactly once; else what was not, the first few named. */
    List<String> notExactlyOnce() {
        List<String> wrong = new ArrayList<>();
        int found = 0;
        for (int i = 0; i < counts.length(); i++) {
            if (counts.get(i) != 1 && found++ < SHOWN) {
                wrong.add("pass " + i / samples + " sample " + i % samples + " trained " + counts.get(i) + " times");
            }
        }
        if (found > SHOWN) {
            wrong.add((found - SHOWN) + " more (pass, sample) not trained exactly once");
        }
        if (outOfRange.get() > 0) {
            wrong.add(outOfRange.get() + " trained samples with a pass or id out of range");
        }
        return wrong;
    }
}
