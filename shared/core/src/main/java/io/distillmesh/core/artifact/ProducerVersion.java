package io.distillmesh.core.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The project version this build carries (written into every artifact's provenance). */
public final class ProducerVersion {
    private static final String VERSION = load();

    private ProducerVersion() {
    }

    public static String get() {
        return VERSION;
    }

    private static String load() {
        try (InputStream in = ProducerVersion.class.getResourceAsStream("producer.properties")) {
            if (in == null) {
                throw new IllegalStateException("producer.properties is missing from the build");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
