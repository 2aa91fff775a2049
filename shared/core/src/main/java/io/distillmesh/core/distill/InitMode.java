package io.distillmesh.core.distill;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which initial parameters θ_0 the distilled data must work for (Wang et al. 2018, section 3):
 * one fixed random init, a fresh random init every iteration, or one / random members of a pool of
 * pretrained parameter vectors.
 */
public enum InitMode {
    FIXED(false, false),
    RANDOM(true, false),
    FIXED_PRETRAINED(false, true),
    RANDOM_PRETRAINED(true, true);

    private final boolean resampled;
    private final boolean pretrained;

    InitMode(boolean resampled, boolean pretrained) {
        this.resampled = resampled;
        this.pretrained = pretrained;
    }

    /** Whether θ_0 is drawn anew every meta-iteration. */
    public boolean resampled() {
        return resampled;
    }

    /** Whether θ_0 comes from a pool of pretrained parameter vectors. */
    public boolean pretrained() {
        return pretrained;
    }

    /** Accepts {@code fixed}, {@code random}, {@code fixed-pretrained}, {@code RANDOM_PRETRAINED} etc. */
    public static InitMode parse(String text) {
        String key = text == null ? "" : text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (InitMode m : values()) {
            if (m.name().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown init mode '" + text + "', known: " + Arrays.stream(values())
                .map(InitMode::label).toList());
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
