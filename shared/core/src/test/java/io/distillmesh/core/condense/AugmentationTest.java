package io.distillmesh.core.condense;

import io.distillmesh.core.distill.ImageShape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differentiable augmentation: each transform moves pixels where its geometry says, its backward pass is the
 * exact adjoint of its forward pass (⟨A x, g⟩ = ⟨x, Aᵀ g⟩ in double), and a draw is the same for the real and the
 * synthetic images of a class.
 */
class AugmentationTest {
    private static final ImageShape SHAPE = ImageShape.MNIST;

    @Test
    void everyOperationsBackwardIsTheAdjointOfItsForward() {
        Random rnd = new Random(5);
        for (Augmentation.Operation op : Augmentation.Operation.values()) {
            Augmentation one = new Augmentation(List.of(op));
            for (int trial = 0; trial < 5; trial++) {
                AugmentationDraw draw = one.draw(SHAPE, rnd, 3);
                INDArray x = Nd4j.rand(DataType.DOUBLE, 6, SHAPE.features());
                INDArray g = Nd4j.randn(DataType.DOUBLE, 6, SHAPE.features());
                INDArray ax = draw.apply(x, 2);
                INDArray atg = draw.transpose(g, 2);
                double left = ax.mul(g).sumNumber().doubleValue();
                double right = x.mul(atg).sumNumber().doubleValue();
                if (op == Augmentation.Operation.NOISE) {
                    // y = x + b: ⟨x + b, g⟩ = ⟨x, g⟩ + ⟨b, g⟩, and b is ax − x
                    right += ax.sub(x).mul(g).sumNumber().doubleValue();
                }
                assertEquals(left, right, 1e-9 * Math.abs(left) + 1e-9, op + ": ⟨Ax, g⟩ vs ⟨x, Aᵀg⟩");
            }
        }
    }

    @Test
    void pixelsMoveWhereTheGeometrySays() {
        double[] image = new double[SHAPE.features()];
        image[10 * 28 + 10] = 1;
        double[] out = new double[image.length];
        PixelMap.shift(SHAPE, 2, 3).apply(image, 0, out, 0);
        assertEquals(1, out[8 * 28 + 7], 0, "output (8, 7) reads input (10, 10)");
        assertEquals(1, sum(out), 0);

        PixelMap.flip(SHAPE).apply(image, 0, out, 0);
        assertEquals(1, out[10 * 28 + 17], 0);

        // a quarter turn: output (i, j) reads input (27 − j, i)
        PixelMap.affine(SHAPE, 0, 1, -1, 0, 0, 0).apply(image, 0, out, 0);
        assertEquals(1, out[10 * 28 + 17], 1e-12);
        assertEquals(1, sum(out), 1e-12);

        PixelMap.affine(SHAPE, 1, 0, 0, 1, 0, 0).apply(image, 0, out, 0);
        assertArrayEquals(image, out, 1e-12, "the identity leaves the image as it is");

        // halfway between two pixels: bilinear weights ½, ½
        PixelMap.affine(SHAPE, 1, 0, 0, 1, 1.0 / 27, 0).apply(image, 0, out, 0);
        assertEquals(0.5, out[10 * 28 + 9], 1e-12);
        assertEquals(0.5, out[10 * 28 + 10], 1e-12);

        double[] full = new double[SHAPE.features()];
        java.util.Arrays.fill(full, 1);
        PixelMap.cutout(SHAPE, 14, 14, 14).apply(full, 0, out, 0);
        assertEquals(SHAPE.features() - 14 * 14, sum(out), 0);
        assertEquals(0, out[14 * 28 + 14], 0);
    }

    @Test
    void oneDrawPerBlockIsTheSameForRealAndSyntheticImagesOfAClass() {
        Random data = new Random(1);
        double[] pixels = new double[SHAPE.features()];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = data.nextDouble();
        }
        INDArray image = Nd4j.createFromArray(pixels).reshape(1, SHAPE.features());
        INDArray real = Nd4j.concat(0, image, image, image, image.mul(0.5), image.mul(0.5), image.mul(0.5));
        INDArray synthetic = Nd4j.concat(0, image, image.mul(0.5));
        AugmentationDraw draw = Augmentation.parse("scale,rotate").draw(SHAPE, new Random(9), 2);
        INDArray realSeen = draw.apply(real, 3);
        INDArray syntheticSeen = draw.apply(synthetic, 1);
        assertEquals(realSeen.getRow(0), syntheticSeen.getRow(0));
        assertEquals(realSeen.getRow(2), syntheticSeen.getRow(0));
        assertEquals(realSeen.getRow(5), syntheticSeen.getRow(1));
        assertNotEquals(realSeen.getRow(0), real.getRow(0), "scale and rotate both move a random image");
        assertEquals(DataType.DOUBLE, realSeen.dataType());
    }

    @Test
    void noneLeavesTheImagesAloneAndNamesParse() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, SHAPE.features());
        assertSame(x, Augmentation.NONE.draw(SHAPE, new Random(1), 4).apply(x, 1));
        assertEquals(Augmentation.siamese(), Augmentation.parse("dsa"));
        assertEquals("crop,scale,rotate,flip,cutout", Augmentation.parse("DSA").describe());
        assertEquals(List.of(Augmentation.Operation.CROP, Augmentation.Operation.NOISE),
                Augmentation.parse(" crop , noise").operations());
        assertTrue(Augmentation.parse("none").none());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Augmentation.parse("crop,zoom"));
        assertTrue(e.getMessage().contains("'zoom'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Augmentation.parse("crop,crop"));
        assertThrows(IllegalArgumentException.class,
                () -> Augmentation.siamese().draw(SHAPE, new Random(1), 2).apply(x, 3));
    }

    @Test
    void drawsAreSeeded() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, SHAPE.features());
        INDArray a = Augmentation.siamese().draw(SHAPE, new Random(3), 8).apply(x, 1);
        INDArray b = Augmentation.siamese().draw(SHAPE, new Random(3), 8).apply(x, 1);
        assertEquals(a, b);
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v;
        }
        return s;
    }
}
