package io.distillmesh.distiller;

import io.distillmesh.core.model.ModelSpec;

/**
 * What a job's meta-gradient holds at its peak, estimated before it starts: the unrolled trajectory (θ_0..θ_T
 * and the parameter gradients at each step, T = S·E), the input gradients of every inner step, the distilled
 * pixels with their Adam moments and gradient, a few parameter-sized temporaries of the Hessian-vector
 * products, the real batch's activations, and the other inits an iteration draws at once. float32 throughout.
 * A lower bound: ND4J's workspaces and the network's own buffers come on top.
 */
public final class TrajectoryMemory {
    static final int BYTES_PER_VALUE = Float.BYTES;
    static final int ROWS = 28;
    static final int KERNEL = 5;
    private static final int HVP_TEMPORARIES = 6;
    private static final int PIXEL_COPIES = 4;

    private TrajectoryMemory() {
    }

    /** The estimate in bytes for one init per iteration, saturating at Long.MAX_VALUE for absurd schedules. */
    public static long bytes(ModelSpec network, int imagesPerClass, int steps, int epochs, int realBatch) {
        return bytes(network, imagesPerClass, steps, epochs, realBatch, 1);
    }

    /** The estimate in bytes with {@code models} inits drawn per iteration, saturating at Long.MAX_VALUE. */
    public static long bytes(ModelSpec network, int imagesPerClass, int steps, int epochs, int realBatch, int models) {
        double params = parameters(network);
        double totalSteps = (double) steps * epochs;
        double batchValues = (double) imagesPerClass * network.numClasses() * ModelSpec.INPUT_FEATURES;
        double values = params * (2 * totalSteps + models + HVP_TEMPORARIES)
                + totalSteps * batchValues
                + PIXEL_COPIES * steps * batchValues
                + (double) realBatch * (ModelSpec.INPUT_FEATURES + 3 * activations(network));
        double bytes = values * BYTES_PER_VALUE;
        return bytes >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) bytes;
    }

    /** The parameter count of {@code ModelZoo.classifier(network)}, without building it. */
    public static long parameters(ModelSpec network) {
        long total = 0;
        long in;
        if (network.architecture() == ModelSpec.Architecture.MLP) {
            in = ModelSpec.INPUT_FEATURES;
        } else {
            int[] ch = network.channels();
            total += (long) KERNEL * KERNEL * ch[0] + ch[0];
            total += (long) KERNEL * KERNEL * ch[0] * ch[1] + ch[1];
            int side = pooledSide();
            in = (long) side * side * ch[1];
        }
        for (int width : network.hidden()) {
            total += in * width + width;
            in = width;
        }
        return total + in * network.numClasses() + network.numClasses();
    }

    /** Activations one sample produces in a forward pass (each layer's output). */
    static long activations(ModelSpec network) {
        long total = network.numClasses();
        for (int width : network.hidden()) {
            total += width;
        }
        if (network.architecture() == ModelSpec.Architecture.CNN) {
            int[] ch = network.channels();
            int conv1 = ROWS - KERNEL + 1;
            int conv2 = conv1 / 2 - KERNEL + 1;
            total += (long) conv1 * conv1 * ch[0] + (long) (conv1 / 2) * (conv1 / 2) * ch[0]
                    + (long) conv2 * conv2 * ch[1] + (long) (conv2 / 2) * (conv2 / 2) * ch[1];
        }
        return total;
    }

    /** The side of the LeNet's feature maps after its second pooling. */
    static int pooledSide() {
        int conv1 = ROWS - KERNEL + 1;
        int conv2 = conv1 / 2 - KERNEL + 1;
        return conv2 / 2;
    }
}
