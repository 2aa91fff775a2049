package io.distillmesh.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads MNIST-format IDX files (gzip-compressed or plain): unsigned-byte image tensors
 * (magic 0x00000803) and label vectors (magic 0x00000801).
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;

    private IdxReader() {
    }

    /** Images as rows of {@code rows*cols} unsigned bytes (grey levels). */
    public static ImageTensor readImages(Path file) {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            if (magic != IMAGES_MAGIC) {
                throw new IdxFormatException(file, String.format(
                        "wrong magic number 0x%08x, expected 0x%08x (an IDX image file)", magic, IMAGES_MAGIC));
            }
            int count = readDimension(in, file, "image count");
            int rows = readDimension(in, file, "row count");
            int cols = readDimension(in, file, "column count");
            int pixels = rows * cols;
            byte[] raw = new byte[Math.multiplyExact(count, pixels)];
            readFully(in, raw, file, count + " images of " + rows + "x" + cols);
            return new ImageTensor(count, rows, cols, raw);
        } catch (IOException e) {
            throw new IdxFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    /** Labels as ints; every label must lie in [0, numClasses). */
    public static int[] readLabels(Path file, int numClasses) {
        try (DataInputStream in = open(file)) {
            int magic = readHeaderInt(in, file, "magic number");
            if (magic != LABELS_MAGIC) {
                throw new IdxFormatException(file, String.format(
                        "wrong magic number 0x%08x, expected 0x%08x (an IDX label file)", magic, LABELS_MAGIC));
            }
            int count = readDimension(in, file, "label count");
            byte[] raw = new byte[count];
            readFully(in, raw, file, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
                if (labels[i] >= numClasses) {
                    throw new IdxFormatException(file, "label " + labels[i] + " at index " + i
                            + " is outside [0, " + numClasses + ")");
                }
            }
            return labels;
        } catch (IOException e) {
            throw new IdxFormatException(file, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IdxFormatException(file, "no such file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        boolean gzip = b1 == 0x1f && b2 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw);
    }

    private static int readHeaderInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file, "truncated: file ends before the " + what);
        }
    }

    private static int readDimension(DataInputStream in, Path file, String what) throws IOException {
        int value = readHeaderInt(in, file, what);
        if (value <= 0) {
            throw new IdxFormatException(file, "invalid " + what + " " + value);
        }
        return value;
    }

    private static void readFully(DataInputStream in, byte[] target, Path file, String expected) throws IOException {
        int read = 0;
        while (read < target.length) {
            int n = in.read(target, read, target.length - read);
            if (n < 0) {
                throw new IdxFormatException(file, "truncated: header promises " + expected + " ("
                        + target.length + " bytes) but the data ends after " + read + " bytes");
            }
            read += n;
        }
    }
}
