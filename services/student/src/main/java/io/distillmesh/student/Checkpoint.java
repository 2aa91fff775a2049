package io.distillmesh.student;

import org.deeplearning4j.nn.api.Model;

/**
 * A student's model together with the stream position it has trained through: the stage ({@link #FSP_DONE} once
 * an FSP student's stage 1 is over, {@link #TASK} while training on the soft-target stream), the pass over the run,
 * the offset to resume from (and how many samples of the record there it has passed already) and how many records and
 * samples of the pass come before it, and the number of samples trained so far. The model is a {@link org.deeplearning4j.nn.multilayer.MultiLayerNetwork} for plain students, a
 * {@link org.deeplearning4j.nn.graph.ComputationGraph} for residual ones.
 */
public record Checkpoint(Model network, int stage, int pass, long offset, int skip, long passRecords,
                         long passSamples, long samplesTrained, long batches) {
    public static final int FSP_DONE = 1;
    public static final int TASK = 2;

    Checkpoint(Model network, StreamPosition position, long samplesTrained, long batches) {
        this(network, TASK, position.pass(), position.offset(), position.skip(), position.passRecords(),
                position.passSamples(), samplesTrained, batches);
    }

    StreamPosition position() {
        return new StreamPosition(pass, offset, skip, passRecords, passSamples);
    }
}
