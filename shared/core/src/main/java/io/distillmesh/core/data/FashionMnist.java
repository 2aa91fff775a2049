package io.distillmesh.core.data;

import java.nio.file.Path;
import java.util.List;

/** Fashion-MNIST (or any MNIST-format set) from a directory of IDX files. */
public final class FashionMnist {
    /** Where Debian's dataset-fashion-mnist package puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int NUM_CLASSES = 10;

    private FashionMnist() {
    }

    /** Resolves the data directory: explicit value, else $DM_DATA_DIR, else the Debian location. */
    public static Path dataDir(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String env = System.getenv("DM_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : DEFAULT_DIR;
    }

    public static LabelledImages load(Path dir, Split split) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        ImageTensor images = IdxReader.readImages(find(dir, prefix + "-images-idx3-ubyte"));
        int[] labels = IdxReader.readLabels(find(dir, prefix + "-labels-idx1-ubyte"), NUM_CLASSES);
        return new LabelledImages("fashion-mnist/" + split.name().toLowerCase(), images, labels, NUM_CLASSES);
    }

    private static Path find(Path dir, String base) {
        Path gz = dir.resolve(base + ".gz");
        if (gz.toFile().isFile()) {
            return gz;
        }
        Path plain = dir.resolve(base);
        if (plain.toFile().isFile()) {
            return plain;
        }
        throw new IdxFormatException(gz, "no such file (nor " + plain.getFileName()
                + "); install Debian's dataset-fashion-mnist or set DM_DATA_DIR");
    }

    public enum Split { TRAIN, TEST }
}
