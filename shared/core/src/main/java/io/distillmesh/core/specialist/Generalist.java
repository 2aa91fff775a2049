package io.distillmesh.core.specialist;

import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.LogitsModel;
import io.distillmesh.core.model.ModelFile;
import io.distillmesh.core.model.ResidualLogits;
import io.distillmesh.core.model.TeacherModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

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

    /** Loads either kind of model file; the error names the file and the problem. */
    public static Generalist load(Path file) {
        String id = file.getFileName().toString();
        Model network = ModelFile.load(file, false);
        try {
            return network instanceof ComputationGraph residual ? of(residual, id)
                    : of(new TeacherModel((MultiLayerNetwork) network, id));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public INDArray logits(INDArray inputs) {
        return model.logits(inputs);
    }

    public INDArray logProbs(INDArray inputs, double temperature) {
        return TemperatureSoftmax.logSoftmax(model.logits(inputs), temperature);
    }
}
