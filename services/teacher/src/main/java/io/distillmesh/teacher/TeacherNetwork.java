package io.distillmesh.teacher;

import io.distillmesh.core.fsp.FspPair;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.model.ModelFile;
import io.distillmesh.core.model.TeacherModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A loaded teacher model file: a plain network (soft targets only) or a residual network, which can also give
 * the FSP matrices of layer pairs. Runs streaming at once share it; their passes take turns, since a DL4J network
 * keeps each pass's inputs in its layers.
 */
interface TeacherNetwork {
    String id();

    /** Log-probabilities at {@code temperature} and, for each pair, the FSP matrices {@code [n, c1, c2]}. */
    ResidualTeacher.Outputs forward(INDArray inputs, double temperature, List<FspPair> pairs);

    boolean residual();

    /** Refuses FSP pairs this teacher cannot stream, with the reason. */
    void requirePairs(List<FspPair> pairs);

    /**
     * Loads the model file {@code name} of the models directory. Errors name the file as runs name it, relative to
     * models.dir, and the problem; the server's path goes to the log only.
     */
    static TeacherNetwork load(Path modelsDir, String name) {
        Path file = modelsDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(name + ": teacher model file not found in models.dir");
        }
        String id = file.getFileName().toString();
        try {
            Model network = ModelFile.load(file, false);
            return network instanceof ComputationGraph residual ? residual(new ResidualTeacher(residual, id))
                    : plain(new TeacherModel((MultiLayerNetwork) network, id));
        } catch (IllegalArgumentException e) {
            System.err.println("teacher: cannot load " + file + ": " + e.getMessage());
            throw new IllegalArgumentException(name + " in models.dir: "
                    + e.getMessage().replace(file.toString(), "").replaceFirst("^: ", ""));
        }
    }

    static TeacherNetwork plain(TeacherModel model) {
        return new TeacherNetwork() {
            @Override
            public String id() {
                return model.id();
            }

            @Override
            public synchronized ResidualTeacher.Outputs forward(INDArray inputs, double temperature,
                                                                List<FspPair> pairs) {
                if (!pairs.isEmpty()) {
                    throw new IllegalArgumentException("teacher " + model.id() + " is not a residual network;"
                            + " FSP matrices need one");
                }
                return new ResidualTeacher.Outputs(model.logProbs(inputs, temperature), List.of());
            }

            @Override
            public boolean residual() {
                return false;
            }

            @Override
            public void requirePairs(List<FspPair> pairs) {
                if (!pairs.isEmpty()) {
                    throw new IllegalArgumentException("fspPairs need a residual teacher; " + model.id()
                            + " is a plain network");
                }
            }
        };
    }

    static TeacherNetwork residual(ResidualTeacher model) {
        return new TeacherNetwork() {
            @Override
            public String id() {
                return model.id();
            }

            @Override
            public synchronized ResidualTeacher.Outputs forward(INDArray inputs, double temperature,
                                                                List<FspPair> pairs) {
                return model.forward(inputs, temperature, pairs);
            }

            @Override
            public boolean residual() {
                return true;
            }

            @Override
            public synchronized void requirePairs(List<FspPair> pairs) {
                model.requirePairs(pairs);
            }
        };
    }
}
