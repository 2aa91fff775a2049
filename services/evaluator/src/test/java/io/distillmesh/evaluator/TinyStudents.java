package io.distillmesh.evaluator;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.train.SoftBatchBuilder;
import io.distillmesh.core.train.StudentTrainer;
import io.distillmesh.messaging.records.CheckpointRecord;
import io.distillmesh.student.StudentSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real students for the tests: small MLPs trained with the project's StudentTrainer on the first few hundred
 * real Fashion-MNIST training images and the committed teacher's soft targets (T = 4), one checkpoint file per
 * pass in the artifact directory, announced by the same CheckpointRecord a student service publishes.
 */
public final class TinyStudents {
    static final float TEACHER_TEMPERATURE = 4f;
    private static LabelledImages train;
    private static TeacherModel teacher;

    private TinyStudents() {
    }

    static synchronized LabelledImages train(int samples) {
        if (train == null) {
            train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        }
        return train.head(samples);
    }

    public static synchronized TeacherModel teacher() {
        if (teacher == null) {
            teacher = TeacherModel.load(EvaluatorHarness.MODELS.resolve("teacher-cnn.zip"));
        }
        return teacher;
    }

    public static StudentSpec spec(String studentId, double temperature, double alpha, int epochs) {
        return StudentSpec.fromJson(new JsonObject().put("studentId", studentId).put("runId", "tiny-run")
                .put("hidden", new JsonArray().add(32)).put("temperature", temperature).put("alpha", alpha)
                .put("epochs", epochs).put("batchSize", 25).put("learningRate", 0.005).put("seed", 11L));
    }

    /** Trains {@code spec.epochs()} passes over the first {@code samples} images; one checkpoint per pass. */
    public static List<CheckpointRecord> train(StudentSpec spec, int samples, Path artifacts) throws IOException {
        LabelledImages data = train(samples);
        int[] ids = new int[data.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        float[][] teacherLogProbs = teacher().logProbs(data.features(ids), TEACHER_TEMPERATURE).toFloatMatrix();
        StudentTrainer trainer = StudentTrainer.create(spec.model(), spec.temperature(), spec.alpha());
        SoftBatchBuilder batch = trainer.newBatch(spec.batchSize());
        List<CheckpointRecord> checkpoints = new ArrayList<>();
        long trained = 0;
        double loss = Double.NaN;
        for (int pass = 1; pass <= spec.epochs(); pass++) {
            for (int id = 0; id < data.size(); id++) {
                batch.add(data.image(id), data.labels()[id], teacherLogProbs[id], TEACHER_TEMPERATURE);
                if (batch.isFull() || id == data.size() - 1) {
                    trained += batch.size();
                    loss = trainer.fit(batch.build());
                    batch.clear();
                }
            }
            Path model = artifacts.resolve(spec.studentId()).resolve("ckpt-" + pass).resolve("model.zip");
            Files.createDirectories(model.getParent());
            ModelSerializer.writeModel(trainer.network(), model.toFile(), true);
            checkpoints.add(new CheckpointRecord(spec.studentId(), spec.runId(), model.toString(), pass, spec.epochs(),
                    (long) pass * data.size(), trained, loss, spec.toJson()));
        }
        return checkpoints;
    }
}
