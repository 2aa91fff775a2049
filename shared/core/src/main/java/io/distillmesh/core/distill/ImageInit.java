package io.distillmesh.core.distill;

import java.util.Locale;

/** How the distilled images start: Gaussian noise, or randomly chosen real images of each class. */
public enum ImageInit {
    NOISE, REAL;

    public static ImageInit parse(String text) {
        for (ImageInit i : values()) {
            if (i.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown image init '" + text + "', known: noise, real");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
