package io.distillmesh.core.condense;

import io.distillmesh.core.distill.ImageShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Differentiable augmentation (Zhao &amp; Bilen, ICML 2021): each draw picks one of the {@code operations} at random
 * and samples its parameters, with the papers' ranges — crop: a shift of up to ⅛ of the side with black borders;
 * scale: each axis by a factor in [1/1.2, 1.2]; rotate: up to ±15°; flip: left–right with probability ½; cutout: a
 * black square of half the side; noise: Gaussian, σ = 0.1 of the pixel range. Every draw is affine in the pixels, so
 * the images' gradient passes back through it exactly. {@link #NONE} draws the identity.
 */
public record Augmentation(List<Operation> operations) {
    public enum Operation { CROP, SCALE, ROTATE, FLIP, CUTOUT, NOISE }

    public static final Augmentation NONE = new Augmentation(List.of());
    static final double CROP_RATIO = 0.125;
    static final double SCALE_RATIO = 1.2;
    static final double ROTATE_DEGREES = 15;
    static final double CUTOUT_RATIO = 0.5;
    static final double NOISE_STD = 0.1;

    public Augmentation {
        operations = operations == null ? List.of() : List.copyOf(operations);
        if (operations.stream().distinct().count() != operations.size()) {
            throw new IllegalArgumentException("augmentation operations repeat: " + operations);
        }
    }

    /** The ICML 2021 paper's set for grey images (its colour jitter aside): crop, scale, rotate, flip, cutout. */
    public static Augmentation siamese() {
        return new Augmentation(List.of(Operation.CROP, Operation.SCALE, Operation.ROTATE, Operation.FLIP,
                Operation.CUTOUT));
    }

    /** "none", "dsa" (= {@link #siamese()}), or operations joined by commas, e.g. "crop,scale,rotate,noise". */
    public static Augmentation parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty() || t.equals("none")) {
            return NONE;
        }
        if (t.equals("dsa")) {
            return siamese();
        }
        List<Operation> ops = new ArrayList<>();
        for (String name : t.split(",")) {
            try {
                ops.add(Operation.valueOf(name.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown augmentation '" + name.trim() + "': use none, dsa or some of "
                        + "crop, scale, rotate, flip, cutout, noise joined by commas");
            }
        }
        return new Augmentation(ops);
    }

    public boolean none() {
        return operations.isEmpty();
    }

    /**
     * Each row of {@code images} (flat Fashion-MNIST images) augmented by a draw of its own: a new array, or
     * {@code images} itself when there is nothing to do.
     */
    public INDArray applyToEachRow(INDArray images, Random rnd) {
        return draw(ImageShape.MNIST, rnd, (int) images.size(0)).apply(images, 1);
    }

    /** {@code count} independent draws (the identity each when {@link #NONE}). */
    AugmentationDraw draw(ImageShape shape, Random rnd, int count) {
        if (none()) {
            return new AugmentationDraw(shape, Collections.nCopies(count, null));
        }
        List<PixelMap> maps = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            maps.add(one(shape, operations.get(rnd.nextInt(operations.size())), rnd));
        }
        return new AugmentationDraw(shape, maps);
    }

    private static PixelMap one(ImageShape shape, Operation op, Random rnd) {
        return switch (op) {
            case CROP -> {
                int maxShift = (int) (shape.rows() * CROP_RATIO + 0.5);
                yield PixelMap.shift(shape, rnd.nextInt(2 * maxShift + 1) - maxShift,
                        rnd.nextInt(2 * maxShift + 1) - maxShift);
            }
            case SCALE -> {
                double low = 1 / SCALE_RATIO;
                yield PixelMap.affine(shape, low + (SCALE_RATIO - low) * rnd.nextDouble(), 0, 0,
                        low + (SCALE_RATIO - low) * rnd.nextDouble(), 0, 0);
            }
            case ROTATE -> {
                double angle = Math.toRadians((2 * rnd.nextDouble() - 1) * ROTATE_DEGREES);
                yield PixelMap.affine(shape, Math.cos(angle), Math.sin(angle), -Math.sin(angle), Math.cos(angle), 0, 0);
            }
            case FLIP -> rnd.nextBoolean() ? PixelMap.flip(shape) : PixelMap.identity(shape);
            case CUTOUT -> PixelMap.cutout(shape, rnd.nextInt(shape.rows() + 1), rnd.nextInt(shape.cols() + 1),
                    (int) (shape.rows() * CUTOUT_RATIO + 0.5));
            case NOISE -> PixelMap.noise(shape, NOISE_STD, rnd);
        };
    }

    public String describe() {
        if (none()) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        for (Operation op : operations) {
            s.append(s.length() == 0 ? "" : ",").append(op.name().toLowerCase(Locale.ROOT));
        }
        return s.toString();
    }
}
