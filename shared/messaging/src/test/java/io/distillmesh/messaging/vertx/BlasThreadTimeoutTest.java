package io.distillmesh.messaging.vertx;

import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When to tell the operator that OpenBLAS's idle threads keep spinning. */
class BlasThreadTimeoutTest {
    @Test
    void advisesOnlyForSeveralThreadsWithoutATimeout() {
        BlasThreadTimeout unset = BlasThreadTimeout.of(Map.of("OMP_NUM_THREADS", "2"), 8);
        assertEquals(2, unset.threads());
        assertTrue(unset.advice().contains("OPENBLAS_THREAD_TIMEOUT=4"), unset.advice());
        assertEquals(3, BlasThreadTimeout.of(Map.of("OMP_NUM_THREADS", "2", "OPENBLAS_NUM_THREADS", "3"), 8).threads());
        assertEquals(8, BlasThreadTimeout.of(Map.of("OMP_NUM_THREADS", "two"), 8).threads());
        assertEquals(8, BlasThreadTimeout.of(Map.of(), 8).threads());

        assertNull(BlasThreadTimeout.of(Map.of("OMP_NUM_THREADS", "2", "OPENBLAS_THREAD_TIMEOUT", "4"), 8).advice());
        assertNull(BlasThreadTimeout.of(Map.of("OMP_NUM_THREADS", "1"), 8).advice(), "one thread never waits");
        assertNull(BlasThreadTimeout.of(Map.of(), 1).advice());
    }
}
