package io.distillmesh.core.specialist;

import java.util.List;

/**
 * Chooses a {@link SpecialistWeighting} on labelled images kept out of both training and evaluation: the candidate
 * whose combined predictions are right most often (the first such candidate on a tie, so the paper's weighting wins
 * ties when it comes first).
 */
public final class HeldOutWeighting {
    private HeldOutWeighting() {
    }

    /** The chosen weighting and, per candidate, its accuracy on the held-out images. */
    public record Choice(SpecialistWeighting best, List<SpecialistWeighting> candidates, double[] accuracies) {
    }

    /**
     * @param generalist the generalist's distribution per held-out image
     * @param opinions   every specialist's opinion per held-out image (the ensemble consults the relevant ones)
     * @param labels     the true class per held-out image
     */
    public static Choice choose(SpecialistEnsemble ensemble, double[][] generalist, List<List<SpecialistOpinion>> opinions,
                                int[] labels, List<SpecialistWeighting> candidates) {
        if (generalist.length != labels.length || opinions.size() != labels.length) {
            throw new IllegalArgumentException("held-out images: " + generalist.length + " generalist rows, "
                    + opinions.size() + " opinion rows and " + labels.length + " labels");
        }
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no candidate weighting to choose from");
        }
        double[] accuracies = new double[candidates.size()];
        int best = 0;
        for (int c = 0; c < candidates.size(); c++) {
            int[] predicted = ensemble.weighted(candidates.get(c)).predictions(generalist, opinions);
            int right = 0;
            for (int i = 0; i < labels.length; i++) {
                right += predicted[i] == labels[i] ? 1 : 0;
            }
            accuracies[c] = (double) right / labels.length;
            if (accuracies[c] > accuracies[best]) {
                best = c;
            }
        }
        return new Choice(candidates.get(best), List.copyOf(candidates), accuracies);
    }
}
