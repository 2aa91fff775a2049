package io.distillmesh.core.train;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The usual augmentation of small grey images, drawn per image: a random crop of the image zero-padded by
 * {@code pad} pixels on every side (a shift by −pad..pad in each direction, as torchvision's
 * {@code RandomCrop(28, padding=pad)}), and a horizontal flip with probability ½.
 */
public record ImageAugmentation(int side, int pad, boolean flip) {
    public ImageAugmentation {
        if (side < 1 || pad < 0 || pad >= side) {
            throw new IllegalArgumentException("augmentation needs a positive image side and a padding in 0.." + (side - 1)
                    + ", got side " + side + " and padding " + pad);
        }
    }

    /** For 28×28 Fashion-MNIST images. */
    public static ImageAugmentation of(int pad, boolean flip) {
        return new ImageAugmentation(28, pad, flip);
    }

    public boolean changesImages() {
        return pad > 0 || flip;
    }

    /** For logs and model cards, e.g. {@code crop pad 2 + flip}. */
    public String describe() {
        if (!changesImages()) {
            return "none";
        }
        return (pad > 0 ? "crop pad " + pad : "") + (pad > 0 && flip ? " + " : "") + (flip ? "flip" : "");
    }

    /** Augmented copies of {@code images} ([n, side²], one flat image a row), as float. */
    public INDArray apply(INDArray images, Random rnd) {
        int pixels = side * side;
        if (images.rank() != 2 || images.columns() != pixels) {
            throw new IllegalArgumentException("expected rows of " + pixels + " pixels, got shape "
                    + java.util.Arrays.toString(images.shape()));
        }
        float[] in = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[in.length];
        for (int image = 0; image * pixels < in.length; image++) {
            int dy = rnd.nextInt(2 * pad + 1) - pad;
            int dx = rnd.nextInt(2 * pad + 1) - pad;
            boolean mirrored = flip && rnd.nextBoolean();
            int base = image * pixels;
            for (int y = 0; y < side; y++) {
                int sy = y + dy;
                if (sy < 0 || sy >= side) {
                    continue;
                }
                for (int x = 0; x < side; x++) {
                    int sx = x + dx;
                    if (sx >= 0 && sx < side) {
                        out[base + y * side + x] = in[base + sy * side + (mirrored ? side - 1 - sx : sx)];
                    }
                }
            }
        }
        return Nd4j.createFromArray(out).reshape('c', images.rows(), pixels);
    }
}
