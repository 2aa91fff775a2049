package io.distillmesh.core.artifact;

import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A PNG of a distilled set: one row per step (batch), one column per image (class after class), each
 * image scaled to its own min..max range (distilled pixels are unbounded), enlarged {@code zoom} times,
 * with a 1-pixel grey border between tiles. Grey-scale for one channel, RGB for three.
 */
public final class ImageGrid {
    private ImageGrid() {
    }

    /** A tile's pixels, by grid row and column. */
    @FunctionalInterface
    private interface Tiles {
        float[] at(int row, int column);
    }

    /** One row per step of the set, one column per image of a step's batch. */
    public static BufferedImage render(DistilledSet set, int zoom) {
        return render(set.shape(), set.schedule().steps(), set.schedule().batchSize(), set::image, zoom);
    }

    /** One column per class, one row per image of a class. */
    public static BufferedImage render(CondensedSet set, int zoom) {
        return render(set.shape(), set.imagesPerClass(), set.classes(), (row, column) -> set.image(column, row), zoom);
    }

    private static BufferedImage render(ImageShape shape, int rows, int columns, Tiles tiles, int zoom) {
        if (zoom < 1) {
            throw new IllegalArgumentException("zoom must be at least 1, got " + zoom);
        }
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("can only draw 1- or 3-channel images, got " + shape);
        }
        int tileW = shape.cols() * zoom;
        int tileH = shape.rows() * zoom;
        BufferedImage img = new BufferedImage(columns * (tileW + 1) + 1, rows * (tileH + 1) + 1, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, 0x808080);
            }
        }
        int plane = shape.rows() * shape.cols();
        for (int s = 0; s < rows; s++) {
            for (int c = 0; c < columns; c++) {
                float[] px = tiles.at(s, c);
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (float p : px) {
                    min = Math.min(min, p);
                    max = Math.max(max, p);
                }
                float range = max > min ? max - min : 1;
                for (int r = 0; r < shape.rows(); r++) {
                    for (int q = 0; q < shape.cols(); q++) {
                        int rgb = 0;
                        for (int ch = 0; ch < 3; ch++) {
                            int src = shape.channels() == 1 ? 0 : ch;
                            int v = Math.round(255 * (px[src * plane + r * shape.cols() + q] - min) / range);
                            rgb = (rgb << 8) | Math.max(0, Math.min(255, v));
                        }
                        for (int dy = 0; dy < zoom; dy++) {
                            for (int dx = 0; dx < zoom; dx++) {
                                img.setRGB(1 + c * (tileW + 1) + q * zoom + dx, 1 + s * (tileH + 1) + r * zoom + dy, rgb);
                            }
                        }
                    }
                }
            }
        }
        return img;
    }

    public static void write(DistilledSet set, Path png, int zoom) {
        write(render(set, zoom), png);
    }

    public static void write(CondensedSet set, Path png, int zoom) {
        write(render(set, zoom), png);
    }

    private static void write(BufferedImage image, Path png) {
        try {
            if (png.toAbsolutePath().getParent() != null) {
                Files.createDirectories(png.toAbsolutePath().getParent());
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
