package io.distillmesh.distiller;

import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.artifact.ImageGrid;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.condense.Condensation;
import io.distillmesh.core.condense.CondensationSettings;
import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.data.PixelStatistics;
import io.distillmesh.core.distill.AdaptationObjective;
import io.distillmesh.core.distill.BestOnValidation;
import io.distillmesh.core.distill.ClassificationObjective;
import io.distillmesh.core.distill.DatasetDistiller;
import io.distillmesh.core.distill.DistillationListener;
import io.distillmesh.core.distill.DistillationObjective;
import io.distillmesh.core.distill.DistillationProgress;
import io.distillmesh.core.distill.DistillationResult;
import io.distillmesh.core.distill.DistillationSchedule;
import io.distillmesh.core.distill.DistilledData;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.DistillerConfig;
import io.distillmesh.core.distill.ImageShape;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.InitSpec;
import io.distillmesh.core.distill.PoisoningObjective;
import io.distillmesh.core.distill.PretrainedPool;
import io.distillmesh.core.distill.RealBatches;
import io.distillmesh.core.distill.ReplayEvaluator;
import io.distillmesh.core.engine.CancelledException;
import io.distillmesh.core.engine.LearningRateSchedule;
import io.distillmesh.core.engine.PassWorkspace;
import io.distillmesh.core.engine.StepDecay;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.records.DistilledSetRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one job on a worker thread: builds the distillation from its plan (core's DatasetDistiller on the
 * real training images, or its distribution or gradient matching for a condensing job), follows it (status, metrics, progress
 * records), and on success writes the artifact {@code <jobId>.dmds} (a condensed set: {@code <jobId>.dmcs}) and its
 * PNG grid {@code <jobId>.png} into the artifacts directory and announces them on {@code dm.distilled}. Any failure ends the job FAILED with its cause; the service goes on.
 */
final class DistillJobRunner implements Runnable {
    private static final int PNG_ZOOM = 2;
    /**
     * A random-init job's set is scored on evaluation inits from this index on, far past the evaluator's replicas
     * (inits 0, 1, ...), so the evaluator measures the chosen set on inits it was not chosen on.
     */
    static final int VALIDATION_FIRST_INIT = 1000;
    private final DistillJobStatus job;
    private final DataSets dataSets;
    private final Path artifactsDir;
    private final Producer<String, byte[]> producer;
    private final DistillerMetrics metrics;
    private final ProgressPublisher progress;

    DistillJobRunner(DistillJobStatus job, JobRunContext context) {
        this.job = job;
        this.dataSets = context.dataSets();
        this.artifactsDir = context.artifactsDir();
        this.producer = context.producer();
        this.metrics = context.metrics();
        this.progress = new ProgressPublisher(producer, job, context.progressIntervalMillis());
    }

    @Override
    public void run() {
        if (!job.start()) {
            return;
        }
        progress.stateChanged();
        try (DistillerMetrics.JobMeters meters = metrics.forJob(job)) {
            if (job.plan().condensation() != null) {
                condenseAndPublish(job.plan().condensation());
            } else {
                DistillationResult result = distil();
                if (result.cancelled()) {
                    job.finish(JobState.CANCELLED, null);
                } else {
                    publish(result);
                }
            }
        } catch (CancelledException e) {
            job.finish(JobState.CANCELLED, null);
        } catch (Exception | OutOfMemoryError e) {
            job.finish(JobState.FAILED, describe(e));
        }
        metrics.jobFinished(job.state());
        progress.stateChanged();
    }

    private DistillationResult distil() {
        DistillPlan plan = job.plan();
        DistillJobSpec spec = plan.spec();
        LabelledImages all = dataSets.get(spec.dataset(), FashionMnist.Split.TRAIN);
        boolean keepBest = spec.keepBestEvery() > 0;
        LabelledImages train = keepBest ? all.slice(0, all.size() - spec.validation(), all.name() + "/train") : all;
        PretrainedPool pool = plan.initMode().pretrained() ? PretrainedPool.fromModelFiles(plan.pretrainedFiles())
                : PretrainedPool.EMPTY;
        InitSpec init = new InitSpec(plan.network(), plan.initMode(), spec.seed(), spec.modelsPerIteration(),
                plan.pretrainedFiles().stream().map(Path::toString).toList(), "FLOAT");
        InitSampler sampler = new InitSampler(init, pool);
        RealBatches batches = new RealBatches(train, spec.realBatch(), spec.seed());
        DistillationSchedule schedule = new DistillationSchedule(spec.imagesPerClass(), spec.steps(), spec.epochs(),
                train.numClasses());
        PixelStatistics pixels = PixelStatistics.of(train.images());
        DistilledData data = DistilledData.initialise(schedule, ImageShape.MNIST, plan.imageInit(), train, pixels.mean(),
                pixels.std(), spec.initialStep(), spec.seed(), DataType.FLOAT);
        DatasetDistiller distiller = new DatasetDistiller(sampler, objective(spec, batches),
                DistillerConfig.of(spec.iterations(), learningRate(spec)));
        BestOnValidation[] best = new BestOnValidation[1];
        DistillationListener listener = new DistillationListener() {
            private double checkSeconds;

            @Override
            public void onIteration(DistillationProgress p) {
                // the job's pace (its ETA) includes the checks; the iteration histogram times iterations only
                double checked = best[0] == null ? 0 : best[0].seconds();
                job.onIteration(p.iteration(), p.metaLoss(), p.stepSizes(), p.seconds() + checked - checkSeconds);
                checkSeconds = checked;
                metrics.recordIteration(p.seconds());
                if (best[0] != null && best[0].checks() > 0) {
                    job.onValidation(ValidationScore.of(best[0]));
                }
                progress.iteration();
            }

            @Override
            public boolean isCancelled() {
                return job.cancelRequested();
            }
        };
        if (keepBest) {
            LabelledImages heldOut = all.slice(all.size() - spec.validation(), all.size(), all.name() + "/validation");
            ReplayEvaluator replays = new ReplayEvaluator(sampler, heldOut,
                    plan.initMode() == InitMode.RANDOM ? VALIDATION_FIRST_INIT : 0);
            best[0] = new BestOnValidation(data, init, replays, spec.validationInits(), spec.keepBestEvery(), listener);
        }
        DistillationResult result = distiller.run(data, keepBest ? best[0] : listener);
        // the last iteration's check has reached the job's status through the listener
        return keepBest && !result.cancelled() ? result.withDistilled(best[0].best()) : result;
    }

    private static DistillationObjective objective(DistillJobSpec spec, RealBatches batches) {
        return switch (spec.objective()) {
            case "poisoning" -> new PoisoningObjective(batches, spec.attackClass(), spec.targetClass());
            case "adaptation" -> new AdaptationObjective(batches, spec.sourceDomain().isBlank()
                    ? "pretrained " + spec.pretrained() : spec.sourceDomain());
            default -> new ClassificationObjective(batches);
        };
    }

    private static LearningRateSchedule learningRate(DistillJobSpec spec) {
        return spec.lrDecayEvery() > 0 ? new StepDecay(spec.learningRate(), spec.lrDecay(), spec.lrDecayEvery())
                : LearningRateSchedule.constant(spec.learningRate());
    }

    private void publish(DistillationResult result) throws InterruptedException, ExecutionException, TimeoutException {
        DistilledSet set = result.distilled();
        Path artifact = artifactsDir.resolve(job.jobId() + ".dmds").toAbsolutePath();
        Path png = artifactsDir.resolve(job.jobId() + ".png").toAbsolutePath();
        DistillJobSpec spec = job.plan().spec();
        String sha256 = DistilledArtifact.write(set, Provenance.of("distiller", spec.objective(),
                spec.toJson().put("jobId", job.jobId()).encode()), artifact);
        ImageGrid.write(set, png, PNG_ZOOM);
        double[] losses = result.metaLosses();
        DistilledSetRecord record = new DistilledSetRecord(job.jobId(), artifact.toString(), sha256, png.toString(),
                spec.objective(), spec.imagesPerClass(), spec.steps(), spec.epochs(), result.iterations(),
                losses.length == 0 ? Double.NaN : losses[losses.length - 1], set.stepSizes(), spec.toJson());
        producer.send(new ProducerRecord<>(Topics.DISTILLED, job.jobId(), record.encode())).get(2, TimeUnit.MINUTES);
        job.succeed(artifact.toString(), png.toString());
    }

    /** Condensation: the set as {@code <jobId>.dmcs} with its PNG, announced like a distilled set. */
    private void condenseAndPublish(CondensationSettings settings) throws InterruptedException, ExecutionException,
            TimeoutException {
        DistillJobSpec spec = job.plan().spec();
        LabelledImages train = dataSets.get(spec.dataset(), FashionMnist.Split.TRAIN);
        long[] last = {System.nanoTime()};
        double[] lastLoss = {Double.NaN};
        CondensedSet set;
        try {
            set = Condensation.of(spec.objective(), train, settings).run((done, total, loss) -> {
                long now = System.nanoTime();
                double seconds = (now - last[0]) / 1e9;
                last[0] = now;
                lastLoss[0] = loss;
                job.onIteration(done, loss, new double[0], seconds);
                metrics.recordIteration(seconds);
                progress.iteration();
            }, job::cancelRequested);
        } finally {
            PassWorkspace.releaseForCurrentThread();
        }
        set = set.withNetwork(ModelSpec.convNet(spec.seed(), spec.evalWidth(), spec.depth()));
        Path artifact = artifactsDir.resolve(job.jobId() + ".dmcs").toAbsolutePath();
        Path png = artifactsDir.resolve(job.jobId() + ".png").toAbsolutePath();
        String sha256 = CondensedArtifact.write(set, Provenance.of("distiller", spec.objective(),
                spec.toJson().put("jobId", job.jobId()).encode()), artifact);
        ImageGrid.write(set, png, PNG_ZOOM);
        DistilledSetRecord record = new DistilledSetRecord(job.jobId(), artifact.toString(), sha256, png.toString(),
                spec.objective(), spec.imagesPerClass(), 0, 0, settings.iterations(), lastLoss[0], new double[0],
                spec.toJson());
        producer.send(new ProducerRecord<>(Topics.DISTILLED, job.jobId(), record.encode())).get(2, TimeUnit.MINUTES);
        job.succeed(artifact.toString(), png.toString());
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
