package io.distillmesh.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ImageTensorTest {
    /** Three 1×2 images: (0, 255), (51, 204), (128, 1). */
    private static final ImageTensor THREE = new ImageTensor(3, 1, 2,
            new byte[]{0, (byte) 255, 51, (byte) 204, (byte) 128, 1});

    @Test
    void greyLevelsReadAsValuesInTheUnitInterval() {
        assertEquals(0f, THREE.pixel(0));
        assertEquals(1f, THREE.pixel(1));
        assertEquals(0.2f, THREE.pixel(2));
        assertEquals(128 / 255f, THREE.pixel(4));
        float[] target = {-1, -1, -1, -1};
        THREE.copyImage(1, target, 1);
        assertArrayEquals(new float[]{-1, 0.2f, 0.8f, -1}, target);
        assertArrayEquals(new byte[]{51, (byte) 204}, THREE.greyLevelsOf(1));
    }

    @Test
    void sliceAndNegativeKeepTheShape() {
        ImageTensor last = THREE.slice(1, 3);
        assertEquals(2, last.count());
        assertArrayEquals(new byte[]{51, (byte) 204, (byte) 128, 1}, last.greyLevels());
        ImageTensor negative = THREE.inverted();
        for (int i = 0; i < THREE.pixelCount(); i++) {
            assertEquals(1f - THREE.pixel(i), negative.pixel(i), 1e-7f);
        }
    }

    @Test
    void refusesASliceOutsideItsImages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> THREE.slice(2, 4));
        assertEquals("images 2..4 are not a range of the 3 images", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> THREE.slice(2, 1));
    }

    @Test
    void refusesAnArrayOfTheWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageTensor(2, 2, 2, new byte[7]));
        assertEquals("pixel array has 7 values, expected 2x2x2", e.getMessage());
    }

    @Test
    void pixelStatisticsAreTheMeanAndStandardDeviationOfTheValues() {
        PixelStatistics stats = PixelStatistics.of(THREE);
        double[] values = {0, 1, 0.2, 0.8, 128 / 255.0, 1 / 255.0};
        double mean = 0;
        for (double v : values) {
            mean += v / values.length;
        }
        double variance = 0;
        for (double v : values) {
            variance += (v - mean) * (v - mean) / values.length;
        }
        assertEquals(mean, stats.mean(), 1e-12);
        assertEquals(Math.sqrt(variance), stats.std(), 1e-12);
    }
}
