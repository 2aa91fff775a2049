package io.distillmesh.core.engine;

/** Step decay: {@code initial · factor^⌊iteration / every⌋} (Wang et al.: ×0.5 every so many epochs). */
public record StepDecay(double initial, double factor, int every) implements LearningRateSchedule {
    public StepDecay {
        if (!(initial > 0) || Double.isInfinite(initial)) {
            throw new IllegalArgumentException("the initial learning rate must be finite and positive, got " + initial);
        }
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("the decay factor must be in (0, 1], got " + factor);
        }
        if (every < 1) {
            throw new IllegalArgumentException("decay every k iterations needs k >= 1, got " + every);
        }
    }

    @Override
    public double rate(int iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("iteration must be >= 0, got " + iteration);
        }
        return initial * Math.pow(factor, iteration / every);
    }
}
