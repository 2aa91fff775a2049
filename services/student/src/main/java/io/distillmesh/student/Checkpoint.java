package io.distillmesh.student;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A student's model together with the stream position it has trained through: the pass over the run,
 * the offset to resume from, and the number of samples trained so far.
 */
public record Checkpoint(MultiLayerNetwork network, int pass, long offset, long samplesTrained, long batches) {
}
