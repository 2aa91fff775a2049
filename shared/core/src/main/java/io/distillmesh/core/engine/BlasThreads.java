package io.distillmesh.core.engine;

import static org.bytedeco.openblas.global.openblas_nolapack.blas_get_num_threads;
import static org.bytedeco.openblas.global.openblas_nolapack.blas_set_num_threads;

/**
 * OpenBLAS's thread count per product: a small product runs on the calling thread alone, a large one on the
 * process's setting (what ND4J set at start-up from OMP_NUM_THREADS). Handing a small product to a second thread
 * costs more than it saves, and while the caller waits for that thread it spins on {@code sched_yield}: with the
 * cores shared (oneDNN's threads, students, Kafka) that wait is CPU the caller burns for nothing. The setting is
 * global to the process; callers on several threads only race for how many threads a product gets.
 */
final class BlasThreads {
    /** Multiply-adds from which a product uses the process's threads: 2^25, about half a millisecond on one core. */
    static final long THREADED_FROM = 1L << 25;
    private static final int CONFIGURED = Math.max(1, blas_get_num_threads());

    private BlasThreads() {
    }

    /** Sets OpenBLAS's threads for an (m × k)·(k × n) product. */
    static void forProduct(long m, long n, long k) {
        int wanted = m * n * k < THREADED_FROM ? 1 : CONFIGURED;
        if (blas_get_num_threads() != wanted) {
            blas_set_num_threads(wanted);
        }
    }
}
