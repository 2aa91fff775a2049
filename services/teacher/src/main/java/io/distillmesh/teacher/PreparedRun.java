package io.distillmesh.teacher;

import io.distillmesh.core.data.FloatArrays;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.train.EpochOrder;
import io.distillmesh.messaging.Topics;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A run ready to stream: its teacher, data, seeded sample order and labelled subset. It turns a piece of the run
 * ({@link WorkItem}) into the records students read: the teacher's log-probabilities at T for up to
 * {@link RunSpec#samplesPerRecord} consecutive samples a record and, when the run asks for FSP pairs, one record a
 * sample with its FSP matrices on the run's FSP topic; the end into a {@link RunEndRecord} (and {@link FspEndRecord}).
 * Sends only: the caller flushes or commits.
 */
final class PreparedRun {
    private final RunSpec spec;
    private final TeacherNetwork teacher;
    private final LabelledImages data;
    private final RunStatus status;
    private final int samples;
    private final boolean[] labelled;
    private final EpochOrder order;
    private final Counter produced;
    private final Timer inference;
    private int orderEpoch = -1;
    private int[] epochOrder;

    PreparedRun(RunSpec spec, TeacherNetwork teacher, LabelledImages data, MeterRegistry registry) {
        this(spec, teacher, data, new RunStatus(spec, (long) spec.epochs() * samples(spec, data)), registry);
    }

    PreparedRun(RunSpec spec, TeacherNetwork teacher, LabelledImages data, RunStatus status, MeterRegistry registry) {
        this.spec = spec;
        this.teacher = teacher;
        this.data = data;
        this.samples = samples(spec, data);
        this.status = status;
        this.labelled = labelledSubset(samples, spec.labelled(), spec.seed());
        this.order = new EpochOrder(samples, spec.seed());
        this.produced = Counter.builder("dm.teacher.records.produced").description("soft targets (samples) streamed (committed)")
                .tag("run", spec.runId()).register(registry);
        this.inference = Timer.builder("dm.teacher.inference").description("teacher inference time per batch")
                .tag("run", spec.runId()).publishPercentileHistogram().register(registry);
    }

    private static int samples(RunSpec spec, LabelledImages data) {
        return Math.min(spec.limit(), data.size());
    }

    RunSpec spec() {
        return spec;
    }

    RunStatus status() {
        return status;
    }

    RunPlan plan(int partitions) {
        return new RunPlan(samples, spec.epochs(), spec.batchSize(), partitions);
    }

    /** Sends the records of {@code item} (the end markers for the end); answers how many samples it sent. */
    int send(WorkItem item, Producer<String, byte[]> producer, Callback onError) {
        return send(infer(item), producer, onError);
    }

    /**
     * The teacher's outputs for {@code item}'s samples (nothing for the end), so that a caller can compute the next
     * piece while it sends this one.
     */
    InferredPiece infer(WorkItem item) {
        if (item.isEnd()) {
            return new InferredPiece(item, new int[0], new float[0][], List.of());
        }
        problemWith(item).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        int[] ids = EpochOrder.slice(orderOf(item.epoch()), item.from(), item.to());
        INDArray x = data.features(ids);
        long t0 = System.nanoTime();
        ResidualTeacher.Outputs outputs = teacher.forward(x, (float) spec.temperature(), spec.fspPairs());
        float[][] logProbs = FloatArrays.rows(outputs.logProbs());
        inference.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        return new InferredPiece(item, ids, logProbs, outputs.fspMatrices());
    }

    /**
     * Sends the records of an inferred piece (the end markers for the end); answers how many samples it sent, for the
     * caller to {@link #countStreamed} once they are committed.
     */
    int send(InferredPiece piece, Producer<String, byte[]> producer, Callback onError) {
        if (piece.item().isEnd()) {
            sendEnd(producer, onError);
            return 0;
        }
        String topic = Topics.softTargets(spec.runId());
        float temperature = (float) spec.temperature();
        int epoch = piece.item().epoch();
        int[] ids = piece.ids();
        for (int from = 0; from < ids.length; from += spec.samplesPerRecord()) {
            int to = Math.min(ids.length, from + spec.samplesPerRecord());
            long[] sampleIds = new long[to - from];
            int[] labels = new int[to - from];
            byte[][] images = new byte[to - from][];
            for (int i = from; i < to; i++) {
                int id = ids[i];
                sampleIds[i - from] = id;
                labels[i - from] = labelOf(id);
                images[i - from] = data.greyLevels(id);
            }
            byte[] value = RunRecordCodec.encodeImageTargets(epoch, temperature, teacher.id(), sampleIds, labels,
                    images, Arrays.copyOfRange(piece.logProbs(), from, to));
            producer.send(new ProducerRecord<>(topic, ids[from] + "-" + ids[to - 1], value), onError);
        }
        if (spec.streamsFsp()) {
            sendFsp(piece, producer, onError);
        }
        return ids.length;
    }

    private void sendFsp(InferredPiece piece, Producer<String, byte[]> producer, Callback onError) {
        String fspTopic = Topics.fsp(spec.runId());
        int[] ids = piece.ids();
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            byte[] fsp = FspRecordCodec.encodeImageTargets(id, piece.item().epoch(), labelOf(id), teacher.id(),
                    data.greyLevels(id), matricesOf(piece.fspMatrices(), i));
            producer.send(new ProducerRecord<>(fspTopic, Long.toString(id), fsp), onError);
        }
    }

    private int labelOf(int id) {
        return labelled[id] ? data.labels()[id] : SoftTargetRecord.UNLABELLED;
    }

    /** The soft-target records a whole run writes before its end record. */
    long records() {
        long records = 0;
        for (WorkItem item : plan(1).items()) {
            if (!item.isEnd()) {
                records += (item.samples() + spec.samplesPerRecord() - 1) / spec.samplesPerRecord();
            }
        }
        return records;
    }

    /**
     * Counts {@code samples} records as streamed ({@code dm_teacher_records_produced_total}): once they are
     * committed, so that a piece done again after an aborted transaction counts once.
     */
    void countStreamed(int samples) {
        produced.increment(samples);
    }

    /** A piece of the run with the teacher's log-probabilities (and FSP matrices) for its samples, ids in order. */
    record InferredPiece(WorkItem item, int[] ids, float[][] logProbs, List<INDArray> fspMatrices) {
    }

    /** The sample order of {@code epoch}; the last one is kept, since a run asks for one epoch's pieces in turn. */
    private synchronized int[] orderOf(int epoch) {
        if (epoch != orderEpoch) {
            epochOrder = order.permutation(epoch);
            orderEpoch = epoch;
        }
        return epochOrder;
    }

    /** Why {@code item} is not a piece of this run, if it is not. */
    Optional<String> problemWith(WorkItem item) {
        if (!item.isEnd() && (item.epoch() >= spec.epochs() || item.to() > samples)) {
            return Optional.of("work item " + item + " lies outside run " + spec.runId() + " (" + spec.epochs()
                    + " epochs of " + samples + " samples)");
        }
        return Optional.empty();
    }

    private void sendEnd(Producer<String, byte[]> producer, Callback onError) {
        long total = status.total();
        producer.send(new ProducerRecord<>(Topics.softTargets(spec.runId()), "__end__",
                RunRecordCodec.encode(new RunEndRecord(spec.epochs(), total, records()))), onError);
        if (spec.streamsFsp()) {
            producer.send(new ProducerRecord<>(Topics.fsp(spec.runId()), "__end__",
                    FspRecordCodec.encode(new FspEndRecord(spec.epochs(), total))), onError);
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
