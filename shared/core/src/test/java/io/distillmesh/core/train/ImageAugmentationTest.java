package io.distillmesh.core.train;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Random crops of the padded image and horizontal flips: what each does to the pixels, and that draws differ. */
class ImageAugmentationTest {
    private static final int SIDE = 5;

    @Test
    void withoutPaddingOrFlipsTheImagesStayAsTheyAre() {
        INDArray images = images(3);
        ImageAugmentation none = new ImageAugmentation(SIDE, 0, false);
        assertFalse(none.changesImages());
        assertEquals("none", none.describe());
        assertEquals(images, none.apply(images, new Random(1)));
    }

    @Test
    void aFlipMirrorsEachRowAndTwoGiveTheImageBack() {
        INDArray image = images(1);
        ImageAugmentation flips = new ImageAugmentation(SIDE, 0, true);
        int flipped = 0;
        for (int seed = 0; seed < 20; seed++) {
            INDArray out = flips.apply(image, new Random(seed));
            if (!out.equals(image)) {
                flipped++;
                for (int y = 0; y < SIDE; y++) {
                    for (int x = 0; x < SIDE; x++) {
                        assertEquals(image.getFloat(0, y * SIDE + x), out.getFloat(0, y * SIDE + SIDE - 1 - x));
                    }
                }
            }
        }
        assertTrue(flipped > 3 && flipped < 17, "about half of the draws flip: " + flipped + " of 20");
    }

    @Test
    void aCropShiftsTheImageAndFillsWithZeros() {
        INDArray image = images(1);
        ImageAugmentation crops = new ImageAugmentation(SIDE, 1, false);
        boolean sawShift = false;
        for (int seed = 0; seed < 20; seed++) {
            float[] out = crops.apply(image, new Random(seed)).data().asFloat();
            int[] shift = shiftOf(image.data().asFloat(), out);
            assertTrue(shift != null, "every output is the image shifted by at most one pixel, zero-filled");
            sawShift |= shift[0] != 0 || shift[1] != 0;
        }
        assertTrue(sawShift);
    }

    @Test
    void eachImageOfABatchDrawsItsOwnAugmentationAndTheSameSeedTheSame() {
        INDArray batch = Nd4j.vstack(images(1), images(1), images(1), images(1), images(1), images(1)).castTo(DataType.FLOAT);
        ImageAugmentation both = new ImageAugmentation(SIDE, 2, true);
        INDArray a = both.apply(batch, new Random(7));
        assertEquals(a, both.apply(batch, new Random(7)));
        long distinct = java.util.stream.IntStream.range(0, 6).mapToObj(i -> a.getRow(i).toString()).distinct().count();
        assertTrue(distinct > 1, "rows drew different shifts or flips");
        assertEquals("crop pad 2 + flip", both.describe());
    }

    @Test
    void refusesBadShapes() {
        assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(SIDE, SIDE, false));
        assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(SIDE, -1, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageAugmentation.of(2, true).apply(images(2), new Random(1)));
        assertTrue(e.getMessage().contains("expected rows of 784 pixels"), e.getMessage());
    }

    /** {dy, dx} with out(y, x) = in(y+dy, x+dx) inside and 0 outside, or null if no shift in -1..1 explains out. */
    private static int[] shiftOf(float[] in, float[] out) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                boolean all = true;
                for (int y = 0; y < SIDE && all; y++) {
                    for (int x = 0; x < SIDE && all; x++) {
                        int sy = y + dy;
                        int sx = x + dx;
                        float expected = sy < 0 || sy >= SIDE || sx < 0 || sx >= SIDE ? 0 : in[sy * SIDE + sx];
                        all = expected == out[y * SIDE + x];
                    }
                }
                if (all) {
                    return new int[]{dy, dx};
                }
            }
        }
        return null;
    }

    /** Distinct, non-zero pixel values, so that any shift or flip shows. */
    private static INDArray images(int n) {
        float[] values = new float[n * SIDE * SIDE];
        for (int i = 0; i < values.length; i++) {
            values[i] = 1 + i;
        }
        return Nd4j.createFromArray(values).reshape('c', n, SIDE * SIDE);
    }
}
