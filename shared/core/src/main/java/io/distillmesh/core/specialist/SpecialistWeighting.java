package io.distillmesh.core.specialist;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much each consulted specialist's term weighs against the generalist's in {@link SpecialistEnsemble}'s
 * objective. The paper weighs every term alike ({@link #EQUAL}); with overlapping groups several specialists can then
 * outvote the generalist on a class they all cover. {@code shared} splits {@code scale} among the consulted specialists,
 * so that together they weigh {@code scale} whatever their number.
 */
public record SpecialistWeighting(double scale, boolean shared) {
    /** Hinton et al. 2015: every consulted specialist weighs as much as the generalist. */
    public static final SpecialistWeighting EQUAL = new SpecialistWeighting(1.0, false);

    public SpecialistWeighting {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("a specialist weight scale must be positive and finite, got " + scale);
        }
    }

    /** The weight of each term when {@code consulted} specialists are consulted for a sample. */
    public double weight(int consulted) {
        return shared ? scale / Math.max(1, consulted) : scale;
    }

    /** The candidates a held-out set chooses among: each scale, per specialist and shared. EQUAL comes first. */
    public static List<SpecialistWeighting> candidates(double... scales) {
        List<SpecialistWeighting> out = new ArrayList<>();
        out.add(EQUAL);
        for (boolean shared : new boolean[]{false, true}) {
            for (double scale : scales) {
                SpecialistWeighting w = new SpecialistWeighting(scale, shared);
                if (!out.contains(w)) {
                    out.add(w);
                }
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s", shared ? "shared" : "each", scale);
    }
}
