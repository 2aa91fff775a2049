package io.distillmesh.core.condense;

import io.distillmesh.core.distill.ImageShape;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Sampled augmentations for consecutive blocks of rows: block k of a batch gets transform k. With one transform per
 * class and the same draw applied to the real and the synthetic images of that class, this is the Siamese
 * augmentation of the papers; with blocks of one row, every image gets its own.
 */
final class AugmentationDraw {
    private final ImageShape shape;
    private final List<PixelMap> maps;
    private final boolean identity;

    /** {@code maps}: one per block, null for the identity. */
    AugmentationDraw(ImageShape shape, List<PixelMap> maps) {
        this.shape = shape;
        this.maps = maps;
        this.identity = maps.stream().allMatch(Objects::isNull);
    }

    /** The augmented rows of {@code x} ([blocks × rowsPerBlock, features]); {@code x} itself when all are identities. */
    INDArray apply(INDArray x, int rowsPerBlock) {
        return imageByImage(x, rowsPerBlock, PixelMap::apply);
    }

    /** The gradient w.r.t. the rows before augmentation, from {@code gradient} w.r.t. the augmented rows. */
    INDArray transpose(INDArray gradient, int rowsPerBlock) {
        return imageByImage(gradient, rowsPerBlock, PixelMap::transpose);
    }

    /** One image's map from {@code in} at {@code from} into {@code out} (zeros) at {@code to}. */
    private interface ImageMap {
        void run(PixelMap map, double[] in, int from, double[] out, int to);
    }

    private INDArray imageByImage(INDArray x, int rowsPerBlock, ImageMap op) {
        if (identity) {
            return x;
        }
        double[] in = flat(x, rowsPerBlock);
        double[] out = new double[in.length];
        int f = shape.features();
        for (int r = 0; r < x.size(0); r++) {
            PixelMap map = maps.get(r / rowsPerBlock);
            if (map == null) {
                System.arraycopy(in, r * f, out, r * f, f);
            } else {
                op.run(map, in, r * f, out, r * f);
            }
        }
        return Nd4j.createFromArray(out).reshape(x.shape()).castTo(x.dataType());
    }

    private double[] flat(INDArray x, int rowsPerBlock) {
        if (x.rank() != 2 || x.size(1) != shape.features() || x.size(0) != (long) rowsPerBlock * maps.size()) {
            throw new IllegalArgumentException("expected " + maps.size() + " blocks of " + rowsPerBlock + " rows of "
                    + shape.features() + " pixels, got " + Arrays.toString(x.shape()));
        }
        return x.dup('c').data().asDouble();
    }
}
