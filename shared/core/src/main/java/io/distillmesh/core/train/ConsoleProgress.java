package io.distillmesh.core.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A console progress bar that is also a {@link ProgressListener}. */
public final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private final ProgressBar bar;

    public ConsoleProgress(String task, long total) {
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed()
                .continuousUpdate().build();
    }

    @Override
    public void onProgress(long samplesDone, long samplesTotal, double loss) {
        bar.maxHint(samplesTotal);
        bar.stepTo(samplesDone);
        bar.setExtraMessage(String.format(" loss %.4f", loss));
    }

    @Override
    public void close() {
        bar.close();
    }
}
