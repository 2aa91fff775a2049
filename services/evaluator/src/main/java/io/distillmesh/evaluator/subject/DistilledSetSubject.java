package io.distillmesh.evaluator.subject;

import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.artifact.ProvenanceJson;
import io.distillmesh.evaluator.distilled.DistilledEvaluationSettings;
import io.distillmesh.evaluator.distilled.DistilledObjective;
import io.distillmesh.evaluator.distilled.DistilledSetEvaluation;
import io.distillmesh.evaluator.distilled.DistilledSetEvaluator;
import io.distillmesh.evaluator.metrics.ClassifierMetrics;
import io.distillmesh.evaluator.metrics.TestSetEvaluator;
import io.distillmesh.evaluator.web.ResultsBoard;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.DistilledSetRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord;
import io.distillmesh.messaging.records.EvaluationResultRecord.Progress;
import io.distillmesh.messaging.records.EvaluationResultRecord.SubjectKind;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A distilled data set: an artifact of the artifact directory, announced on dm.distilled (keyed by job id) or
 * asked for with POST /evaluations. Evaluating it replays exactly the artifact's schedule on {@code replicas}
 * fresh networks and compares it with real-image baselines ({@link DistilledSetEvaluation}); a condensed set
 * (DMCS artifact) is trained by the recipe it carries instead (CondensedSetEvaluation). Its results are
 * points of the subject {@code distilled:<job>}: one per baseline ({@code baseline:random-real}, ...), an optional
 * {@code cross-architecture:<network>}, {@code poisoning:before} for a poisoning set, and {@code set} last, the
 * subject's summary. Each result's settings are this subject's settings plus {@code result}: how that row was made.
 *
 * @param announcement the dm.distilled record as JSON, or null for a REST request
 */
public record DistilledSetSubject(String jobId, String artifactPath, String objective, JsonObject spec, int replicas,
                                  JsonObject announcement, DistilledSetEvaluator sets) implements EvaluationSubject {
    public static final String PREFIX = "distilled:";
    static final String SET_POINT = "set";

    public DistilledSetSubject {
        try {
            Topics.requireValidRunId(jobId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("jobId: " + e.getMessage());
        }
        sets.artifacts().resolve(artifactPath, "artifactPath");
        DistilledObjective.parse(objective, spec, Integer.MAX_VALUE);
        if (replicas < 1 || replicas > DistilledEvaluationSettings.MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be in 1.." + DistilledEvaluationSettings.MAX_REPLICAS
                    + ", got " + replicas);
        }
        spec = spec == null ? null : spec.copy();
        announcement = announcement == null ? null : announcement.copy();
    }

    /** A set announced on dm.distilled, judged with the configured number of replicas. */
    public static DistilledSetSubject announced(DistilledSetRecord record, DistilledSetEvaluator sets) {
        return new DistilledSetSubject(record.jobId(), record.artifactPath(), record.objective(), record.spec(),
                sets.settings().replicas(), new JsonObject(Buffer.buffer(record.encode())), sets);
    }

    @Override
    public String subjectId() {
        return PREFIX + jobId;
    }

    @Override
    public SubjectKind kind() {
        return SubjectKind.DISTILLED_SET;
    }

    @Override
    public String pointId() {
        return SET_POINT;
    }

    @Override
    public String queueKey() {
        return PREFIX + jobId;
    }

    @Override
    public Progress progress() {
        return null;
    }

    @Override
    public String modelPath() {
        return sets.artifacts().resolve(artifactPath, "artifactPath").toString();
    }

    @Override
    public JsonObject settings() {
        JsonObject settings = new JsonObject().put("jobId", jobId).put("artifactPath", artifactPath)
                .put("objective", objective == null ? DistilledObjective.CLASSIFICATION.name() : objective)
                .put("evaluation", sets.settings().withReplicas(replicas).toJson());
        if (spec != null) {
            settings.put("spec", spec.copy());
        }
        return announcement == null ? settings : settings.put("announcement", announcement.copy());
    }

    @Override
    public boolean evaluatedOn(ResultsBoard board) {
        return board.result(subjectId(), pointId()).filter(r -> {
            JsonObject made = r.settings().copy();
            made.remove("result");
            return made.equals(settings());
        }).isPresent();
    }

    @Override
    public List<EvaluationResultRecord> evaluate(TestSetEvaluator evaluator) {
        long start = System.nanoTime();
        String announcedSha256 = announcement == null ? null : announcement.getString("sha256");
        DistilledSetEvaluation.Outcome outcome;
        String sha256;
        Provenance provenance;
        if (sets.isCondensed(artifactPath)) {
            CondensedArtifact.Stored stored = sets.readCondensed(artifactPath, announcedSha256);
            outcome = sets.evaluateCondensed(jobId, stored.set(), replicas, evaluator);
            sha256 = stored.sha256();
            provenance = stored.provenance();
        } else {
            DistilledArtifact.Stored stored = sets.read(artifactPath, announcedSha256);
            outcome = sets.evaluate(jobId, stored.set(), objective, spec, replicas, evaluator);
            sha256 = stored.sha256();
            provenance = stored.provenance();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long now = System.currentTimeMillis();
        List<EvaluationResultRecord> results = new ArrayList<>();
        for (DistilledSetEvaluation.Row row : outcome.rows()) {
            JsonObject result = row.details().copy().put("kind", row.kind());
            if (row.pointId().equals(SET_POINT) && outcome.poisoning() != null) {
                result.put("poisoning", outcome.poisoning().toJson());
            }
            if (row.pointId().equals(SET_POINT)) {
                result.put("sha256", sha256).put("provenance", new JsonObject(ProvenanceJson.write(provenance)));
            }
            ClassifierMetrics m = row.metrics().mean();
            results.add(new EvaluationResultRecord(subjectId(), kind(), row.pointId(), evaluator.teacher().teacherId(),
                    evaluator.testSet().name(), m.samples(), m.accuracy(), row.metrics().accuracyStd(),
                    row.metrics().replicas(), m.perClassAccuracy(), m.crossEntropy(), m.teacherAgreement(),
                    m.klTeacherSubject(), null, modelPath(), settings().put("result", result), now, seconds));
        }
        return results;
    }
}
