package io.distillmesh.core.engine;

import java.util.Locale;

/**
 * Which path trains networks in this process: the engine wherever it covers the network (the default), or DL4J's
 * {@code fit} everywhere, for comparison. Set by the system property {@value #PROPERTY} or, without it, the
 * environment variable {@value #VARIABLE}: {@code engine} or {@code dl4j}.
 */
public enum TrainingPath {
    ENGINE, DL4J;

    public static final String PROPERTY = "dm.training";
    public static final String VARIABLE = "DM_TRAINING";

    /** The path this process is set to; an unknown value is refused with the setting's name. */
    public static TrainingPath configured() {
        String property = System.getProperty(PROPERTY);
        String value = property != null ? property : System.getenv(VARIABLE);
        String from = property != null ? "system property " + PROPERTY : "environment variable " + VARIABLE;
        return parse(value, from);
    }

    static TrainingPath parse(String value, String from) {
        if (value == null || value.isBlank()) {
            return ENGINE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "engine" -> ENGINE;
            case "dl4j" -> DL4J;
            default -> throw new IllegalArgumentException(from + " must be engine or dl4j, got '" + value + "'");
        };
    }
}
