package io.distillmesh.core.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxReaderTest {

    @Test
    void readsTheRealFashionMnist() {
        Path dir = FashionMnist.dataDir(null);
        LabelledImages train = FashionMnist.load(dir, FashionMnist.Split.TRAIN);
        LabelledImages test = FashionMnist.load(dir, FashionMnist.Split.TEST);
        assertEquals(60_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(784, train.features());
        int[] perClass = new int[10];
        for (int label : test.labels()) {
            perClass[label]++;
        }
        assertArrayEquals(new int[]{1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, perClass);
        float max = 0;
        for (int i = 0; i < train.images().pixelCount(); i++) {
            max = Math.max(max, train.images().pixel(i));
        }
        assertEquals(1f, max);
        assertEquals(9, train.labels()[0], "the first Fashion-MNIST training image is an ankle boot");
    }

    @Test
    void readsPlainAndGzippedFilesAlike(@TempDir Path dir) throws IOException {
        byte[] idx = imageFile(0x00000803, 2, 2, 2, new byte[]{0, (byte) 255, 51, 102, 1, 2, 3, 4});
        Path plain = dir.resolve("plain-idx3");
        Files.write(plain, idx);
        Path gz = dir.resolve("gz-idx3.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(idx);
        }
        ImageTensor a = IdxReader.readImages(plain);
        ImageTensor b = IdxReader.readImages(gz);
        assertArrayEquals(a.greyLevels(), b.greyLevels());
        assertEquals(0f, a.pixel(0));
        assertEquals(1f, a.pixel(1));
        assertEquals(0.2f, a.pixel(2), 1e-6);
    }

    @Test
    void wrongMagicNamesTheFileAndTheProblem(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("labels-as-images");
        Files.write(file, imageFile(0x00000801, 1, 1, 1, new byte[]{0}));
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong magic number 0x00000801"), e.getMessage());
    }

    @Test
    void truncatedFileNamesTheFileAndHowMuchIsMissing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("short.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(imageFile(0x00000803, 3, 28, 28, new byte[100]));
        }
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(e.getMessage().contains("after 100 bytes"), e.getMessage());
    }

    @Test
    void labelOutsideTheClassRangeIsRefused(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(2);
        out.write(new byte[]{3, 12});
        Path file = dir.resolve("labels");
        Files.write(file, bytes.toByteArray());
        IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.readLabels(file, 10));
        assertTrue(e.getMessage().contains("label 12 at index 1"), e.getMessage());
    }

    @Test
    void missingDirectoryTellsHowToGetTheData(@TempDir Path dir) {
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> FashionMnist.load(dir.resolve("nowhere"), FashionMnist.Split.TEST));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());
    }

    private static byte[] imageFile(int magic, int count, int rows, int cols, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(data);
        return bytes.toByteArray();
    }
}
