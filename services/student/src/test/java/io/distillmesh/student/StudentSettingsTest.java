package io.distillmesh.student;

import io.distillmesh.core.fsp.FspPair;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StudentVerticleSpecTest {
    @Test
    void aFlatConfigDescribesAShuffledFspResnetStudent() {
        JsonObject conf = StudentVerticle.DEFAULTS.copy().put("student.architecture", "resnet")
                .put("student.blocks", "1,1,1").put("student.widths", "8,16,32").put("student.stem-stride", 2)
                .put("student.fsp-epochs", 2).put("student.fsp-pairs", "stem:stage1, s2b0_conv1:stage2")
                .put("student.fsp-permutation-seed", "4");
        StudentSpec spec = StudentVerticle.specFrom(conf);
        assertArrayEquals(new int[]{8, 16, 32}, spec.resnet().widths());
        assertEquals(2, spec.resnet().stemStride());
        assertEquals(2, spec.fsp().epochs());
        assertEquals(List.of(new FspPair("stem", "stage1"), new FspPair("s2b0_conv1", "stage2")), spec.fsp().pairs());
        assertEquals(4L, spec.fsp().permutationSeed());
        assertNull(StudentVerticle.specFrom(conf.copy().put("student.fsp-epochs", 0)).fsp(), "no FSP stage");
    }

    @Test
    void aMalformedPairListIsRefusedWithTheReason() {
        JsonObject conf = StudentVerticle.DEFAULTS.copy().put("student.architecture", "resnet")
                .put("student.fsp-epochs", 1).put("student.fsp-pairs", "stem-stage1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudentVerticle.specFrom(conf));
        assertTrue(e.getMessage().contains("first:second"), e.getMessage());
    }
}
