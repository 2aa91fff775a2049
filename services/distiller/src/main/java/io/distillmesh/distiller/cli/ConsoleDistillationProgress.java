package io.distillmesh.distiller.cli;

import io.distillmesh.core.distill.DistillationListener;
import io.distillmesh.core.distill.DistillationProgress;
import java.util.Arrays;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A console progress bar over meta-iterations showing the meta-loss and the range of the step sizes. */
final class ConsoleDistillationProgress implements DistillationListener, AutoCloseable {
    private final ProgressBar bar;

    ConsoleDistillationProgress(String task, int iterations) {
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(iterations)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                .continuousUpdate().build();
    }

    @Override
    public void onIteration(DistillationProgress p) {
        bar.stepTo(p.iteration());
        double min = Arrays.stream(p.stepSizes()).min().orElse(Double.NaN);
        double max = Arrays.stream(p.stepSizes()).max().orElse(Double.NaN);
        bar.setExtraMessage(String.format(" meta-loss %.4f η %.3g..%.3g", p.metaLoss(), min, max));
    }

    @Override
    public void close() {
        bar.close();
    }
}
