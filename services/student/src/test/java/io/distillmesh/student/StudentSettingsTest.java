package io.distillmesh.student;

import io.distillmesh.core.fsp.FspPair;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudentSettingsTest {
    @Test
    void aFlatConfigDescribesAShuffledFspResnetStudent() {
        JsonObject conf = StudentVerticle.DEFAULTS.copy().put("student.architecture", "resnet")
                .put("student.blocks", "1,1,1").put("student.widths", "8,16,32").put("student.stem-stride", 2)
                .put("student.fsp-epochs", 2).put("student.fsp-pairs", "stem:stage1, s2b0_conv1:stage2")
                .put("student.fsp-permutation-seed", "4");
        StudentSpec spec = StudentSettings.specFrom(conf);
        assertArrayEquals(new int[]{8, 16, 32}, spec.resnet().widths());
        assertEquals(2, spec.resnet().stemStride());
        assertEquals(2, spec.fsp().epochs());
        assertEquals(List.of(new FspPair("stem", "stage1"), new FspPair("s2b0_conv1", "stage2")), spec.fsp().pairs());
        assertEquals(4L, spec.fsp().permutationSeed());
        assertNull(StudentSettings.specFrom(conf.copy().put("student.fsp-epochs", 0)).fsp(), "no FSP stage");
    }

    @Test
    void aMalformedPairListIsRefusedWithTheReason() {
        JsonObject conf = StudentVerticle.DEFAULTS.copy().put("student.architecture", "resnet")
                .put("student.fsp-epochs", 1).put("student.fsp-pairs", "stem-stage1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudentSettings.specFrom(conf));
        assertTrue(e.getMessage().contains("first:second"), e.getMessage());
    }

    @Test
    void everyArchitectureReadsTheKeysAllStudentsShare() {
        JsonObject shared = StudentVerticle.DEFAULTS.copy().put("student.id", "s-7").put("student.run", "r-7")
                .put("student.temperature", 2.0).put("student.alpha", 0.5).put("student.epochs", 3)
                .put("student.batch-size", 32).put("student.learning-rate", 0.01).put("student.seed", 9L)
                .put("student.checkpoint-every", 11);
        List<JsonObject> configs = List.of(shared.copy().put("student.architecture", "cnn"),
                shared.copy().put("student.architecture", "resnet"),
                shared.copy().put("student.architecture", "specialist").put("student.specialist-classes", "0,2")
                        .put("student.generalist", "teacher-cnn.zip"));
        for (JsonObject conf : configs) {
            JsonObject spec = StudentSettings.specFrom(conf).toJson();
            String architecture = conf.getString("student.architecture");
            assertEquals(architecture, spec.getString("architecture"));
            assertEquals("s-7", spec.getString("studentId"), architecture);
            assertEquals("r-7", spec.getString("runId"), architecture);
            assertEquals(2.0, spec.getDouble("temperature"), architecture);
            assertEquals(0.5, spec.getDouble("alpha"), architecture);
            assertEquals(3, spec.getInteger("epochs"), architecture);
            assertEquals(32, spec.getInteger("batchSize"), architecture);
            assertEquals(0.01, spec.getDouble("learningRate"), architecture);
            assertEquals(9L, spec.getLong("seed"), architecture);
            assertEquals(11, spec.getInteger("checkpointEveryBatches"), architecture);
        }
    }

    @Test
    void aStudentsCheckpointsGoInItsOwnDirectory() {
        StudentSettings settings = StudentSettings.fromConfig(StudentVerticle.DEFAULTS.copy()
                .put("checkpoint.dir", "/data/checkpoints").put("student.id", "kd-t4").put("topic.replication.factor", 3));
        assertEquals(Path.of("/data/checkpoints/kd-t4"), settings.checkpointDir());
        assertEquals(3, settings.replicationFactor());
        assertEquals("kd-t4", settings.spec().studentId());
    }
}
