package io.distillmesh.evaluator.distilled;

import io.distillmesh.core.artifact.ArtifactIntegrityException;
import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.BaselineSet;
import io.distillmesh.core.distill.ClassMeanImages;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.KMeansCentroids;
import io.distillmesh.core.distill.PretrainedPool;
import io.distillmesh.core.distill.RandomRealBaseline;
import io.distillmesh.core.distill.TrainingImages;
import io.distillmesh.evaluator.checkpoint.ArtifactDirectory;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Evaluates the distilled-set artifacts of the artifact directory ({@link DistilledSetEvaluation}) with the
 * configured settings, and keeps the image grids of each job's sets for the dashboard. The training images the
 * baselines come from are loaded at the first distilled set, so an evaluator that never sees one never loads
 * them. Blocking: worker threads only.
 */
public final class DistilledSetEvaluator {
    private static final String[] REFUSAL_REASONS = {"integrity", "malformed"};
    private final DistilledEvaluationSettings settings;
    private final ArtifactDirectory artifacts;
    private final Path dataDir;
    private final MeterRegistry registry;
    private final DistilledImages images = new DistilledImages();
    private TrainingImages training;

    public DistilledSetEvaluator(DistilledEvaluationSettings settings, ArtifactDirectory artifacts, Path dataDir,
                          MeterRegistry registry) {
        this.settings = settings;
        this.artifacts = artifacts;
        this.dataDir = dataDir;
        this.registry = registry;
        for (String kind : new String[]{DistilledSetEvaluation.SET, DistilledSetEvaluation.BEFORE,
                DistilledSetEvaluation.CROSS_ARCHITECTURE, DistilledSetEvaluation.STEP_GRID, RandomRealBaseline.KIND,
                ClassMeanImages.KIND, KMeansCentroids.KIND}) {
            DistilledSetEvaluation.timer(registry, kind);
        }
        for (String reason : REFUSAL_REASONS) {
            refused(reason);
        }
    }

    /** An evaluator configured by the {@code distilled.*} keys of {@code conf} (defaults for the missing ones). */
    public static DistilledSetEvaluator fromConfig(JsonObject conf, ArtifactDirectory artifacts, Path dataDir,
                                                   MeterRegistry registry) {
        return new DistilledSetEvaluator(DistilledEvaluationSettings.fromConfig(conf), artifacts, dataDir, registry);
    }

    public DistilledEvaluationSettings settings() {
        return settings;
    }

    public ArtifactDirectory artifacts() {
        return artifacts;
    }

    /**
     * The set stored at {@code artifactPath}, verified against its SHA-256; a refusal names the file and counts in
     * {@code dm.evaluator.artifacts.refused} (reason {@code integrity}: altered, corrupted or without provenance;
     * {@code malformed}: not a valid artifact).
     */
    public DistilledSet read(String artifactPath) {
        return read(artifactPath, null).set();
    }

    /**
     * As {@link #read(String)}, with the provenance and SHA-256; with {@code announcedSha256} (the hash a
     * dm.distilled record announced) also refuses a file that is not the one announced.
     */
    public DistilledArtifact.Stored read(String artifactPath, String announcedSha256) {
        return counted(() -> announced(DistilledArtifactFiles.read(artifacts, artifactPath), DistilledArtifact.Stored::sha256,
                artifactPath, announcedSha256));
    }

    /** As {@link #read(String, String)} for a condensed-set artifact (DMCS). */
    public CondensedArtifact.Stored readCondensed(String artifactPath, String announcedSha256) {
        return counted(() -> announced(DistilledArtifactFiles.readCondensed(artifacts, artifactPath),
                CondensedArtifact.Stored::sha256, artifactPath, announcedSha256));
    }

    /** Whether {@code artifactPath} holds a condensed set (DMCS) rather than a distilled one. */
    public boolean isCondensed(String artifactPath) {
        return counted(() -> DistilledArtifactFiles.isCondensed(artifacts, artifactPath));
    }

    private static <T> T announced(T stored, Function<T, String> sha256, String artifactPath, String announcedSha256) {
        if (announcedSha256 != null && !announcedSha256.equals(sha256.apply(stored))) {
            throw new ArtifactIntegrityException("artifact '" + artifactPath + "' refused: it is not the set announced "
                    + "(its SHA-256 is " + sha256.apply(stored) + ", the announcement says " + announcedSha256 + ")");
        }
        return stored;
    }

    /** Runs a read, counting a refusal by its reason. */
    private <T> T counted(Supplier<T> read) {
        try {
            return read.get();
        } catch (ArtifactIntegrityException e) {
            refused("integrity").increment();
            throw e;
        } catch (IllegalArgumentException e) {
            refused("malformed").increment();
            throw e;
        }
    }

    private Counter refused(String reason) {
        return Counter.builder("dm.evaluator.artifacts.refused")
                .description("distilled-set artifacts refused when read, by reason").tag("reason", reason)
                .register(registry);
    }

    /** Evaluates {@code set} (read by {@link #read}) with {@code replicas} networks per set; keeps its images. */
    public DistilledSetEvaluation.Outcome evaluate(String jobId, DistilledSet set, String objectiveName,
                                            JsonObject spec, int replicas, TestSetEvaluator test) {
        DistilledObjective objective = DistilledObjective.parse(objectiveName, spec, set.schedule().classes());
        PretrainedPool pool = DistilledArtifactFiles.pool(set, artifacts);
        DistilledSetEvaluation.Outcome outcome = new DistilledSetEvaluation(settings.withReplicas(replicas), training(),
                test, registry).evaluate(set, objective, pool);
        Map<String, DistilledSet> sets = new LinkedHashMap<>();
        for (DistilledSetEvaluation.Row row : outcome.rows()) {
            if (row.images() != null) {
                sets.put(row.kind(), row.images());
            }
        }
        images.put(jobId, sets);
        return outcome;
    }

    /**
     * Evaluates a condensed set (read by {@link #readCondensed}) by its recipe on {@code replicas} networks per row,
     * against random real images and k-means centroids; keeps the images.
     */
    public DistilledSetEvaluation.Outcome evaluateCondensed(String jobId, CondensedSet set, int replicas,
                                                            TestSetEvaluator test) {
        List<CondensedSetEvaluation.Baseline> baselines = CondensedSetEvaluation.baselines(set, training(),
                settings.kmeansSample());
        DistilledSetEvaluation.Outcome outcome = new CondensedSetEvaluation(settings.withReplicas(replicas), training(),
                test, registry).evaluate(set, baselines);
        images.putCondensed(jobId, condensedImages(set, baselines));
        return outcome;
    }

    private Map<String, CondensedSet> condensedImages(CondensedSet set, List<CondensedSetEvaluation.Baseline> baselines) {
        Map<String, CondensedSet> sets = new LinkedHashMap<>();
        for (CondensedSetEvaluation.Baseline baseline : baselines) {
            sets.put(baseline.kind(), baseline.images());
        }
        sets.put(DistilledSetEvaluation.SET, set);
        return sets;
    }

    /**
     * The PNG grid of set {@code kind} of job {@code jobId} (artifact {@code artifactPath}), drawn again from the
     * artifact when it is not kept (after a restart): the baselines are seeded, so they are the same images.
     */
    public Optional<byte[]> png(String jobId, String artifactPath, String kind) {
        if (!images.has(jobId) && isCondensed(artifactPath)) {
            CondensedSet set = readCondensed(artifactPath, null).set();
            images.putCondensed(jobId, condensedImages(set, CondensedSetEvaluation.baselines(set, training(),
                    settings.kmeansSample())));
        }
        if (!images.has(jobId)) {
            DistilledSet set = read(artifactPath);
            Map<String, DistilledSet> sets = new LinkedHashMap<>();
            for (BaselineSet baseline : DistilledSetEvaluation.baselines(set, training(), settings.kmeansSample())) {
                sets.put(baseline.kind(), baseline.withStep(set, 0, 1.0));
            }
            sets.put(DistilledSetEvaluation.SET, set);
            images.put(jobId, sets);
        }
        return images.png(jobId, kind);
    }

    private synchronized TrainingImages training() {
        if (training == null) {
            LabelledImages train = FashionMnist.load(dataDir, FashionMnist.Split.TRAIN);
            training = TrainingImages.split(train, settings.heldOut());
        }
        return training;
    }
}
