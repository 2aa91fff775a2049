package io.distillmesh.core.train;

/** Receives training progress: samples done of the total, and the last minibatch loss. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total, loss) -> { };

    void onProgress(long samplesDone, long samplesTotal, double loss);
}
