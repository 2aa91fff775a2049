package io.distillmesh.student;

import io.distillmesh.core.data.FloatArrays;
import io.distillmesh.core.fsp.ChannelPermutation;
import io.distillmesh.core.fsp.FspPair;
import io.distillmesh.core.fsp.FspStudentGraph;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ResidualNetworks;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.records.FspEndRecord;
import io.distillmesh.messaging.records.FspRecord;
import io.distillmesh.messaging.records.FspRecordCodec;
import io.distillmesh.messaging.records.FspTargetRecord;
import io.distillmesh.messaging.records.RecordFormatException;
import io.micrometer.core.instrument.Counter;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleConsumer;

/**
 * Stage 1 of an FSP student: {@code fsp.epochs} passes over the run's FSP topic (from offset 0: the topic keeps
 * everything, so a student that starts late replays it instead of rerunning the teacher), each minibatch one step
 * of the FSP loss towards the teacher's matrices (channel-permuted for shuffled FSP); then the learned weights go
 * into the student classifier. Records that cannot be decoded, or whose matrices do not fit the student's pairs,
 * go to the dead-letter topic (once, on the first pass), and so does an FSP end record that comes before as many
 * records as it declares: a pass ends at the real one ({@link PassCount}).
 */
final class FspStageOne {
    private final StudentSpec spec;
    private final KafkaSettings kafka;
    private final DeadLetterPublisher deadLetters;
    private final Counter consumed;
    private final DoubleConsumer lossListener;
    private final BooleanSupplier stopping;
    private final long[][] shapes;

    FspStageOne(StudentSpec spec, KafkaSettings kafka, DeadLetterPublisher deadLetters, Counter consumed,
                DoubleConsumer lossListener, BooleanSupplier stopping) {
        this.spec = spec;
        this.kafka = kafka;
        this.deadLetters = deadLetters;
        this.consumed = consumed;
        this.lossListener = lossListener;
        this.stopping = stopping;
        List<FspPair> pairs = spec.fsp().pairs();
        shapes = new long[pairs.size()][];
        for (int p = 0; p < pairs.size(); p++) {
            shapes[p] = new long[]{ResidualNetworks.featureShape(spec.resnet(), pairs.get(p).first())[0],
                    ResidualNetworks.featureShape(spec.resnet(), pairs.get(p).second())[0]};
        }
    }

    /** Trains stage 1 and copies its weights into {@code classifier}; false when stopped before the end. */
    boolean trainInto(ComputationGraph classifier) {
        FspStage fsp = spec.fsp();
        FspStudentGraph student = new FspStudentGraph(spec.resnet(), fsp.pairs(), fsp.lambda());
        ChannelPermutation permutation = fsp.permutationSeed() == null ? null
                : new ChannelPermutation(fsp.permutationSeed());
        TopicPartition partition = new TopicPartition(Topics.fsp(spec.runId()), 0);
        List<FspTargetRecord> batch = new ArrayList<>(spec.batchSize());
        int pass = 0;
        PassCount count = new PassCount(spec.runId() + " (FSP)", 0, 0);
        try (Consumer<String, byte[]> consumer = new KafkaConsumer<>(kafka.consumer("student-" + spec.studentId()
                + "-fsp", spec.studentId() + "-fsp"))) {
            consumer.assign(List.of(partition));
            consumer.seek(partition, 0);
            while (pass < fsp.epochs()) {
                if (stopping.getAsBoolean()) {
                    return false;
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    FspRecord decoded;
                    try {
                        decoded = FspRecordCodec.decode(record.value());
                        if (decoded instanceof FspTargetRecord target) {
                            requireShapes(target);
                        }
                    } catch (RecordFormatException e) {
                        count.add(0);
                        deadLetterOnFirstPass(pass, record, e.getMessage());
                        continue;
                    }
                    if (decoded instanceof FspTargetRecord target) {
                        count.add(1);
                        consumed.increment();
                        batch.add(target);
                        if (batch.size() == spec.batchSize()) {
                            step(student, batch, permutation);
                        }
                    } else if (decoded instanceof FspEndRecord end) {
                        Optional<String> early = count.earlyEnd(record, end.samples(), end.samples());
                        if (early.isPresent()) {
                            deadLetterOnFirstPass(pass, record, early.get());
                            continue;
                        }
                        if (!batch.isEmpty()) {
                            step(student, batch, permutation);
                        }
                        count.restart();
                        pass++;
                        consumer.seek(partition, 0);
                        break;
                    }
                }
            }
        }
        student.transferTo(classifier);
        return true;
    }

    private void deadLetterOnFirstPass(int pass, ConsumerRecord<String, byte[]> record, String reason) {
        if (pass == 0) {
            deadLetters.publish(record, reason);
        }
    }

    private void step(FspStudentGraph student, List<FspTargetRecord> batch, ChannelPermutation permutation) {
        int n = batch.size();
        float[] inputs = new float[n * ModelSpec.INPUT_FEATURES];
        for (int i = 0; i < n; i++) {
            System.arraycopy(batch.get(i).input(), 0, inputs, i * ModelSpec.INPUT_FEATURES, ModelSpec.INPUT_FEATURES);
        }
        List<INDArray> targets = new ArrayList<>();
        for (int p = 0; p < shapes.length; p++) {
            int size = (int) (shapes[p][0] * shapes[p][1]);
            float[] values = new float[n * size];
            for (int i = 0; i < n; i++) {
                System.arraycopy(batch.get(i).matrices().get(p).values(), 0, values, i * size, size);
            }
            INDArray matrices = FloatArrays.of(values, n, shapes[p][0], shapes[p][1]);
            targets.add(permutation == null ? matrices : permutation.apply(matrices, spec.fsp().pairs().get(p)));
        }
        lossListener.accept(student.fit(FloatArrays.of(inputs, n, ModelSpec.INPUT_FEATURES), targets));
        batch.clear();
    }

    private void requireShapes(FspTargetRecord record) {
        if (record.input().length != ModelSpec.INPUT_FEATURES) {
            throw new RecordFormatException("input has " + record.input().length + " values, the student needs "
                    + ModelSpec.INPUT_FEATURES);
        }
        if (record.matrices().size() != shapes.length) {
            throw new RecordFormatException("record has " + record.matrices().size() + " FSP matrices, the student's "
                    + "pairs " + spec.fsp().pairs() + " need " + shapes.length);
        }
        for (int p = 0; p < shapes.length; p++) {
            FspTargetRecord.Matrix m = record.matrices().get(p);
            if (m.rows() != shapes[p][0] || m.cols() != shapes[p][1]) {
                throw new RecordFormatException("FSP matrix " + p + " is " + m.rows() + "x" + m.cols()
                        + ", the student's pair " + spec.fsp().pairs().get(p) + " needs " + shapes[p][0] + "x"
                        + shapes[p][1]);
            }
        }
    }
}
