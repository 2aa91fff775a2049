package io.distillmesh.core.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The data sets the mesh knows by name, loaded once from a data directory. */
public final class DataSets {
    public static final List<String> KNOWN = List.of("fashion-mnist");
    private final Path dataDir;
    private final Map<String, LabelledImages> cache = new ConcurrentHashMap<>();

    public DataSets(Path dataDir) {
        this.dataDir = dataDir;
    }

    public static void requireKnown(String name) {
        if (!KNOWN.contains(name)) {
            throw new IllegalArgumentException("unknown data set '" + name + "', known: " + KNOWN);
        }
    }

    public LabelledImages get(String name, FashionMnist.Split split) {
        requireKnown(name);
        return cache.computeIfAbsent(name + "/" + split, k -> FashionMnist.load(dataDir, split));
    }
}
