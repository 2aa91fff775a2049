package io.distillmesh.core.specialist;

import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.core.model.ResidualLogits;
import io.distillmesh.core.model.TeacherModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The model specialists start from and learn beside: a plain network (MultiLayerNetwork: MLP, CNN) or a network of
 * the residual family (ComputationGraph), with its logits.
 */
public record Generalist(Model network, LogitsModel model, String id) {
    public static Generalist of(TeacherModel teacher) {
        return new Generalist(teacher.network(), teacher, teacher.id());
    }

    public static Generalist of(ComputationGraph residual, String id) {
        return new Generalist(residual, new ResidualLogits(residual), id);
    }

    /** Loads either kind of model file; the error names the file and what it is not. */
    public static Generalist load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": generalist model file not found");
        }
        IllegalArgumentException notPlain;
        try {
            return of(TeacherModel.load(file));
        } catch (IllegalArgumentException e) {
            notPlain = e;
        }
        try {
            return of(ModelSerializer.restoreComputationGraph(file.toFile(), false), file.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            IllegalArgumentException refused = new IllegalArgumentException(file + ": neither a DL4J multi-layer "
                    + "network nor a residual computation graph (" + e.getMessage() + ")", e);
            refused.addSuppressed(notPlain);
            throw refused;
        }
    }

    public INDArray logits(INDArray inputs) {
        return model.logits(inputs);
    }

    public INDArray logProbs(INDArray inputs, double temperature) {
        return TemperatureSoftmax.logSoftmax(model.logits(inputs), temperature);
    }
}
