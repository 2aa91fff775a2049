package io.distillmesh.core.distill;

/**
 * What a distillation run produced: the distilled set, the meta-loss of each completed iteration,
 * whether it was cancelled, where the time went (seconds in all, over the completed iterations), and how
 * often the kink guard acted (inner steps, summed over iterations and inits: central differences
 * retried with a smaller ε, and one-sided fallbacks).
 */
public record DistillationResult(DistilledSet distilled, double[] metaLosses, boolean cancelled,
                                 double innerSeconds, double metaLossSeconds, double backwardSeconds,
                                 double totalSeconds, int hvpRetried, int hvpOneSided) {
    /** The same run with another set as its result (the one a {@link BestOnValidation} kept). */
    public DistillationResult withDistilled(DistilledSet set) {
        return new DistillationResult(set, metaLosses, cancelled, innerSeconds, metaLossSeconds, backwardSeconds,
                totalSeconds, hvpRetried, hvpOneSided);
    }

    public int iterations() {
        return metaLosses.length;
    }

    public double secondsPerIteration() {
        return metaLosses.length == 0 ? Double.NaN : totalSeconds / metaLosses.length;
    }
}
