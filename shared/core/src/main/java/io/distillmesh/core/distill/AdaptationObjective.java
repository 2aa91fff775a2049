package io.distillmesh.core.distill;

/**
 * Domain adaptation (Wang et al. 2018, section 3.3): the inits are models pretrained on another data
 * set or domain, and a few steps on the distilled images should make them classify the target data.
 */
public final class AdaptationObjective implements DistillationObjective {
    private final ClassificationObjective target;
    private final String sourceDomain;

    public AdaptationObjective(RealBatches targetData, String sourceDomain) {
        if (sourceDomain == null || sourceDomain.isBlank()) {
            throw new IllegalArgumentException("name the source domain the pretrained models come from");
        }
        this.target = new ClassificationObjective(targetData);
        this.sourceDomain = sourceDomain;
    }

    @Override
    public String name() {
        return "adaptation(" + sourceDomain + ")";
    }

    @Override
    public MetaBatch metaBatch(int iteration) {
        return target.metaBatch(iteration);
    }

    @Override
    public void checkInit(InitMode mode) {
        if (!mode.pretrained()) {
            throw new IllegalArgumentException("adaptation starts from models pretrained on the source domain: use "
                    + "init mode fixed-pretrained or random-pretrained, not " + mode.label());
        }
    }
}
