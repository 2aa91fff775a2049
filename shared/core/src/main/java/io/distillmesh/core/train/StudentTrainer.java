package io.distillmesh.core.train;

import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.loss.KnowledgeDistillationLoss;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.specialist.ClassReduction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;

/**
 * A student network trained with the Hinton loss at temperature T' and weight α. With α = 0 it is the
 * hard-label baseline: soft targets are ignored, and samples without a label carry nothing for it. Each step goes
 * through {@link TrainingStep}: the engine where it reads the network, DL4J's {@code fit} for the rest.
 */
public final class StudentTrainer {
    private final Model network;
    private final TrainingStep step;
    private final double temperature;
    private final double alpha;
    private final int classes;
    private final ClassReduction reduction;

    public StudentTrainer(MultiLayerNetwork network, double temperature, double alpha, int classes) {
        this(network, temperature, alpha, classes, null);
    }

    private StudentTrainer(Model network, double temperature, double alpha, int classes, ClassReduction reduction) {
        this.network = network;
        this.temperature = temperature;
        this.alpha = alpha;
        this.classes = classes;
        this.reduction = reduction;
        this.step = TrainingStep.of(network, reduction == null ? "the student" : "the specialist");
    }

    /**
     * A specialist's trainer: samples over the generalist's classes, a network (a MultiLayerNetwork or a residual
     * ComputationGraph) over {@code reduction}'s.
     */
    public static StudentTrainer specialist(Model network, ClassReduction reduction, double temperature,
                                            double alpha) {
        return new StudentTrainer(network, temperature, alpha, reduction.fullClasses(), reduction);
    }

    public static StudentTrainer create(ModelSpec spec, double temperature, double alpha) {
        KnowledgeDistillationLoss loss = new KnowledgeDistillationLoss(temperature, alpha, spec.numClasses());
        return new StudentTrainer(ModelZoo.build(spec, loss, Activation.IDENTITY), temperature, alpha,
                spec.numClasses());
    }

    /** Whether a sample without a hard label teaches this student anything. */
    public boolean learnsFromUnlabelled() {
        return alpha > 0;
    }

    public SoftBatchBuilder newBatch(int capacity) {
        return new SoftBatchBuilder(capacity, ModelSpec.INPUT_FEATURES, classes, temperature, reduction);
    }

    /** One optimizer step on the batch; returns its mean loss. */
    public double fit(DataSet batch) {
        return step.step(batch.getFeatures(), batch.getLabels());
    }

    /** {@link TrainingStep#ENGINE}, or {@code dl4j (why)}. */
    public String trainingPath() {
        return step.path();
    }

    public Model network() {
        return network;
    }

    public double temperature() {
        return temperature;
    }

    public double alpha() {
        return alpha;
    }
}
