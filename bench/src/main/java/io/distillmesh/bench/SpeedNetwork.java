package io.distillmesh.bench;

import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import io.distillmesh.core.model.ResNetSpec;
import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The rows of the training-speed table: which network, at which batch size, trained (softmax cross-entropy; Adam,
 * or for the batch-normalised ResNet SGD with Nesterov momentum 0.9 and L2 5e-4, as the project builds them) or
 * only run forward. {@code bench/pytorch/training_speed.py} builds
 * the same networks under the same names.
 */
enum SpeedNetwork {
    MLP64("mlp64", 64, false),
    MLP800("mlp800", 128, false),
    CNN("cnn", 128, false),
    RESNET("resnet", 64, false),
    RESNET_BN("resnet-bn", 64, false),
    TEACHER_INFERENCE("teacher-inference", 256, true);

    final String label;
    final int batch;
    final boolean inferenceOnly;

    SpeedNetwork(String label, int batch, boolean inferenceOnly) {
        this.label = label;
        this.batch = batch;
        this.inferenceOnly = inferenceOnly;
    }

    static SpeedNetwork named(String label) {
        for (SpeedNetwork n : values()) {
            if (n.label.equals(label)) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown network '" + label + "': one of mlp64, mlp800, cnn, resnet, "
                + "resnet-bn, teacher-inference");
    }

    /** A fresh network (seed 42), or for inference the shipped teacher read from {@code teacherFile}. */
    Model build(Path teacherFile) throws IOException {
        return switch (this) {
            case MLP64 -> ModelZoo.classifier(ModelSpec.mlp(42, 64));
            case MLP800 -> ModelZoo.classifier(ModelSpec.mlp(42, 800, 800));
            case CNN -> ModelZoo.classifier(ModelSpec.cnn(42, 16, 32, 128));
            case RESNET -> ModelZoo.resnetClassifier(resnet8());
            case RESNET_BN -> ModelZoo.resnetClassifier(resnet8().withBatchNorm().withLearningRate(0.05)
                    .withNesterovs(0.9, 5e-4));
            case TEACHER_INFERENCE -> ModelSerializer.restoreMultiLayerNetwork(teacherFile.toFile(), false);
        };
    }

    private static ResNetSpec resnet8() {
        return ResNetSpec.of(42, new int[]{1, 1, 1}, new int[]{16, 32, 64});
    }
}
