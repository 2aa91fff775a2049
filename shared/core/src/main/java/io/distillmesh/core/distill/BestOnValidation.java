package io.distillmesh.core.distill;

/**
 * Early stopping for a distillation: every {@code every} meta-iterations (and after the last) the set as it stands is
 * replayed from the evaluation inits and scored on held-out real images; the best-scoring set is kept. The meta-loss
 * is measured on one real batch of the training images and is noisy, and a lower one need not mean a higher
 * accuracy, so this picks the set to ship by an independent measurement. Listens to the run it checks; a cancel
 * stops a check between its replays (that check is dropped), and a cancelled run's later iterations are not scored.
 */
public final class BestOnValidation implements DistillationListener {
    private final DistilledData data;
    private final InitSpec init;
    private final ReplayEvaluator validation;
    private final int inits;
    private final int every;
    private final DistillationListener next;
    private DistilledSet best;
    private double bestAccuracy = -1;
    private int bestIteration;
    private double lastAccuracy = Double.NaN;
    private int checks;
    private double seconds;

    /**
     * @param validation held-out images, none of them in the run's real batches, and the inits to replay from (in
     *                   the fixed modes the one init the set is for)
     * @param inits      how many evaluation inits each check replays (their mean accuracy is the score)
     * @param next       the listener the run reports to otherwise (progress bar, records)
     */
    public BestOnValidation(DistilledData data, InitSpec init, ReplayEvaluator validation, int inits, int every,
                            DistillationListener next) {
        if (every < 1 || inits < 1) {
            throw new IllegalArgumentException("checks every " + every + " iterations on " + inits
                    + " inits: both must be at least 1");
        }
        this.data = data;
        this.init = init;
        this.validation = validation;
        this.inits = inits;
        this.every = every;
        this.next = next == null ? NONE : next;
    }

    @Override
    public void onIteration(DistillationProgress progress) {
        if (progress.iteration() % every == 0 || progress.iteration() == progress.iterations()) {
            check(progress.iteration());
        }
        next.onIteration(progress);
    }

    @Override
    public boolean isCancelled() {
        return next.isCancelled();
    }

    private void check(int iteration) {
        long start = System.nanoTime();
        DistilledSet set = data.snapshot(init);
        double[] accuracies = new double[inits];
        for (int k = 0; k < inits; k++) {
            if (next.isCancelled()) {
                seconds += (System.nanoTime() - start) / 1e9;
                return;
            }
            accuracies[k] = validation.accuracy(set, k);
        }
        lastAccuracy = ReplayEvaluator.mean(accuracies);
        checks++;
        seconds += (System.nanoTime() - start) / 1e9;
        if (lastAccuracy > bestAccuracy) {
            bestAccuracy = lastAccuracy;
            best = set;
            bestIteration = iteration;
        }
    }

    /** The best set so far; the run's own set if no check has run yet. */
    public DistilledSet best() {
        return best != null ? best : data.snapshot(init);
    }

    /** The meta-iteration (1-based, after its update) whose set is {@link #best()}; 0 before any check. */
    public int bestIteration() {
        return bestIteration;
    }

    /** The best score so far, NaN before any check. */
    public double bestAccuracy() {
        return checks == 0 ? Double.NaN : bestAccuracy;
    }

    /** The score of the latest check (the final set's, once a run that was not cancelled has ended), NaN before any. */
    public double lastAccuracy() {
        return lastAccuracy;
    }

    public int checks() {
        return checks;
    }

    /** Seconds spent in the checks, which the run's own timing includes. */
    public double seconds() {
        return seconds;
    }
}
