package io.distillmesh.core.data;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The {@code --data-dir} option of every command that loads Fashion-MNIST, as a picocli mixin
 * ({@code @Mixin DataDirOption data;}): where the IDX files are, resolved by {@link FashionMnist#dataDir}.
 */
public final class DataDirOption {
    @Option(names = "--data-dir", description = "directory with the IDX files (default: $DM_DATA_DIR or Debian's)")
    String configured;

    /** The directory as given on the command line; null when the option is left out. */
    public String configured() {
        return configured;
    }

    /** The directory to load from: the option's, else $DM_DATA_DIR, else Debian's. */
    public Path dir() {
        return FashionMnist.dataDir(configured);
    }
}
