package io.distillmesh.teacher;

import java.util.concurrent.TimeUnit;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.train.EpochOrder;
import io.distillmesh.messaging.Topics;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.messaging.records.FspEndRecord;
import io.distillmesh.messaging.records.FspRecordCodec;
import io.distillmesh.messaging.records.FspTargetRecord;
import io.distillmesh.messaging.records.RunEndRecord;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.distillmesh.messaging.records.SoftTargetRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Streams one run: for each epoch, the samples in a seeded order, in inference batches; one record per
 * sample with the teacher's log-probabilities at T; a {@link RunEndRecord} last. When the run asks for FSP pairs,
 * the same pass also sends each sample's FSP matrices to the run's FSP topic, ended by an {@link FspEndRecord}.
 * Runs on a worker thread.
 */
public final class TeacherRunStreamer implements Runnable {
    private final TeacherNetwork teacher;
    private final LabelledImages data;
    private final RunStatus status;
    private final Producer<String, byte[]> producer;
    private final Counter produced;
    private final Timer inference;
    private final StreamedSoFar soFar;

    public TeacherRunStreamer(TeacherModel teacher, LabelledImages data, RunStatus status,
                              Producer<String, byte[]> producer, MeterRegistry registry) {
        this(TeacherNetwork.plain(teacher), data, status, producer, registry, StreamedSoFar.NOTHING);
    }

    /** A run from a residual teacher, which can also stream FSP matrices. */
    public TeacherRunStreamer(ResidualTeacher teacher, LabelledImages data, RunStatus status,
                              Producer<String, byte[]> producer, MeterRegistry registry) {
        this(TeacherNetwork.residual(teacher), data, status, producer, registry, StreamedSoFar.NOTHING);
    }

    /** A run whose topics already hold {@code soFar} records goes on after them. */
    TeacherRunStreamer(TeacherNetwork teacher, LabelledImages data, RunStatus status,
                       Producer<String, byte[]> producer, MeterRegistry registry, StreamedSoFar soFar) {
        this.soFar = soFar;
        this.teacher = teacher;
        this.data = data;
        this.status = status;
        this.producer = producer;
        String run = status.spec().runId();
        this.produced = Counter.builder("dm.teacher.records.produced").description("soft-target records sent")
                .tag("run", run).register(registry);
        this.inference = Timer.builder("dm.teacher.inference").description("teacher inference time per batch")
                .tag("run", run).publishPercentileHistogram().register(registry);
    }

    public RunStatus status() {
        return status;
    }

    @Override
    public void run() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        AtomicReference<Exception> sendError = new AtomicReference<>();
        try {
            RunSpec spec = status.spec();
            String topic = Topics.softTargets(spec.runId());
            String fspTopic = Topics.fsp(spec.runId());
            int n = Math.min(spec.limit(), data.size());
            boolean[] labelled = labelledSubset(n, spec.labelled(), spec.seed());
            EpochOrder order = new EpochOrder(n, spec.seed());
            float temperature = (float) spec.temperature();
            long total = (long) spec.epochs() * n;
            long resumeAt = Math.min(total, soFar.firstMissing(spec.streamsFsp()));
            for (int epoch = (int) (resumeAt / Math.max(1, n)); epoch < spec.epochs(); epoch++) {
                int[] perm = order.permutation(epoch);
                long epochStart = (long) epoch * n;
                for (int from = 0; from < n; from += spec.batchSize()) {
                    int to = Math.min(n, from + spec.batchSize());
                    if (epochStart + to <= resumeAt) {
                        continue;
                    }
                    int[] ids = EpochOrder.slice(perm, from, to);
                    INDArray x = data.features(ids);
                    long t0 = System.nanoTime();
                    ResidualTeacher.Outputs outputs = teacher.forward(x, temperature, spec.fspPairs());
                    float[][] logProbs = outputs.logProbs().toFloatMatrix();
                    inference.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    Callback onError = (meta, e) -> {
                        if (e != null) {
                            sendError.compareAndSet(null, e);
                        }
                    };
                    int sent = 0;
                    for (int i = 0; i < ids.length; i++) {
                        long index = epochStart + from + i;
                        int id = ids[i];
                        int label = labelled[id] ? data.labels()[id] : SoftTargetRecord.UNLABELLED;
                        if (index >= soFar.softTargets()) {
                            SoftTargetRecord record = new SoftTargetRecord(id, epoch, label, temperature, teacher.id(),
                                    data.image(id), logProbs[i]);
                            producer.send(new ProducerRecord<>(topic, Long.toString(id), RunRecordCodec.encode(record)),
                                    onError);
                            sent++;
                        }
                        if (spec.streamsFsp() && index >= soFar.fsp()) {
                            FspTargetRecord fsp = new FspTargetRecord(id, epoch, label, teacher.id(), data.image(id),
                                    matricesOf(outputs.fspMatrices(), i));
                            producer.send(new ProducerRecord<>(fspTopic, Long.toString(id), FspRecordCodec.encode(fsp)),
                                    onError);
                        }
                    }
                    throwIfFailed(sendError);
                    produced.increment(sent);
                    status.addProduced(sent);
                }
            }
            if (soFar.softTargets() <= total) {
                producer.send(new ProducerRecord<>(topic, "__end__",
                        RunRecordCodec.encode(new RunEndRecord(spec.epochs(), total))));
            }
            if (spec.streamsFsp() && soFar.fsp() <= total) {
                producer.send(new ProducerRecord<>(fspTopic, "__end__",
                        FspRecordCodec.encode(new FspEndRecord(spec.epochs(), total))));
            }
            producer.flush();
            throwIfFailed(sendError);
            status.finish(threads.getCurrentThreadCpuTime() - cpuStart, System.nanoTime() - wallStart);
        } catch (Exception e) {
            status.fail(e);
        }
    }

    private static void throwIfFailed(AtomicReference<Exception> error) throws Exception {
        Exception e = error.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka failed: " + e.getMessage(), e);
        }
    }

    private static List<FspTargetRecord.Matrix> matricesOf(List<INDArray> batchMatrices, int row) {
        List<FspTargetRecord.Matrix> out = new ArrayList<>(batchMatrices.size());
        for (INDArray g : batchMatrices) {
            INDArray one = g.slice(row);
            out.add(new FspTargetRecord.Matrix((int) one.size(0), (int) one.size(1), one.dup('c').data().asFloat()));
        }
        return out;
    }

    /** A seeded subset of {@code count} sample ids that keep their labels. */
    static boolean[] labelledSubset(int n, int count, long seed) {
        boolean[] out = new boolean[n];
        int[] perm = new EpochOrder(n, seed ^ 0x5DEECE66DL).permutation(0);
        for (int i = 0; i < Math.min(count, n); i++) {
            out[perm[i]] = true;
        }
        return out;
    }
}
