package io.distillmesh.evaluator.distilled;

import io.distillmesh.core.artifact.ImageGrid;
import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.distill.ClassMeanImages;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.KMeansCentroids;
import io.distillmesh.core.distill.RandomRealBaseline;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PNG grids (core {@link ImageGrid}: one row per step, one column per image; a condensed set one column per
 * class) of the distilled and condensed sets and their
 * baselines, by job and kind, for the dashboard. Derived data: kept for the {@value #JOBS} most recently used
 * jobs and drawn again from the artifact when missing. Thread-safe.
 */
public final class DistilledImages {
    static final int JOBS = 32;
    /** The sets drawn: the distilled set and the three baselines. */
    public static final List<String> KINDS = List.of(DistilledSetEvaluation.SET, RandomRealBaseline.KIND, ClassMeanImages.KIND,
            KMeansCentroids.KIND);
    private static final int ZOOM = 2;
    private final Map<String, Map<String, byte[]>> byJob = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, byte[]>> eldest) {
            return size() > JOBS;
        }
    };

    synchronized Optional<byte[]> png(String jobId, String kind) {
        Map<String, byte[]> job = byJob.get(jobId);
        return Optional.ofNullable(job == null ? null : job.get(kind));
    }

    synchronized boolean has(String jobId) {
        return byJob.containsKey(jobId);
    }

    /** Draws {@code sets} (kind → set) as the job's grids, replacing what it had. */
    void put(String jobId, Map<String, DistilledSet> sets) {
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        sets.forEach((kind, set) -> pngs.put(kind, png(set)));
        synchronized (this) {
            byJob.put(jobId, pngs);
        }
    }

    /** Draws a condensed set's {@code sets} (kind → set), replacing what the job had. */
    void putCondensed(String jobId, Map<String, CondensedSet> sets) {
        Map<String, byte[]> pngs = new LinkedHashMap<>();
        sets.forEach((kind, set) -> pngs.put(kind, png(ImageGrid.render(set, ZOOM))));
        synchronized (this) {
            byJob.put(jobId, pngs);
        }
    }

    static byte[] png(DistilledSet set) {
        return png(ImageGrid.render(set, ZOOM));
    }

    private static byte[] png(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
