package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Data poisoning (Wang et al. 2018, section 3.4): after a few steps on the distilled images, a
 * pretrained model should classify the attack class K as the target class T and keep classifying
 * every other class correctly. Meta-loss: cross-entropy on a real batch whose labels K are replaced by T.
 */
public final class PoisoningObjective implements DistillationObjective {
    private final RealBatches real;
    private final int attackClass;
    private final int targetClass;

    public PoisoningObjective(RealBatches real, int attackClass, int targetClass) {
        if (real == null) {
            throw new IllegalArgumentException("real batches are required");
        }
        int classes = real.data().numClasses();
        if (attackClass < 0 || attackClass >= classes || targetClass < 0 || targetClass >= classes) {
            throw new IllegalArgumentException("attack and target classes must be in 0.." + (classes - 1) + ", got "
                    + attackClass + " and " + targetClass);
        }
        if (attackClass == targetClass) {
            throw new IllegalArgumentException("attack and target class must differ, both are " + attackClass);
        }
        this.real = real;
        this.attackClass = attackClass;
        this.targetClass = targetClass;
    }

    @Override
    public String name() {
        return "poisoning(" + attackClass + "->" + targetClass + ")";
    }

    public int attackClass() {
        return attackClass;
    }

    public int targetClass() {
        return targetClass;
    }

    /** The label the poisoned model should give a sample of true class {@code label}. */
    public int poisonedLabel(int label) {
        return label == attackClass ? targetClass : label;
    }

    @Override
    public MetaBatch metaBatch(int iteration) {
        int[] ids = real.ids(iteration);
        LabelledImages data = real.data();
        INDArray targets = Nd4j.zeros(DataType.FLOAT, ids.length, data.numClasses());
        for (int i = 0; i < ids.length; i++) {
            targets.putScalar(i, poisonedLabel(data.labels()[ids[i]]), 1.0);
        }
        return new MetaBatch(data.features(ids), targets);
    }

    @Override
    public void checkInit(InitMode mode) {
        if (!mode.pretrained()) {
            throw new IllegalArgumentException("poisoning attacks a pretrained model: use init mode fixed-pretrained "
                    + "or random-pretrained, not " + mode.label());
        }
    }
}
