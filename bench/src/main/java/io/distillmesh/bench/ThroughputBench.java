package io.distillmesh.bench;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.FloatArrays;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.train.EpochOrder;
import io.distillmesh.core.train.SoftBatchBuilder;
import io.distillmesh.core.train.StudentTrainer;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.broker.EmbeddedKafkaBroker;
import io.distillmesh.messaging.kafka.DeadLetterPublisher;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.distillmesh.student.CheckpointStore;
import io.distillmesh.student.StudentSpec;
import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.teacher.RunSpec;
import io.distillmesh.teacher.RunStatus;
import io.distillmesh.teacher.TeacherRunStreamer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Throughput of the mesh's paths, measured in one run so that ratios are fair on a noisy machine:
 * teacher inference in process vs the same teacher streaming to Kafka; a student training from memory
 * vs from Kafka; and the teacher's CPU time with 1 vs {@code --fan-out} students reading its stream at the same time.
 */
@Command(name = "throughput", mixinStandardHelpOptions = true)
public final class ThroughputBench implements Callable<Integer> {
    /** The seed of every streamed run's sample order. */
    private static final long RUN_SEED = 1;
    @Option(names = "--teacher", defaultValue = "models/teacher-cnn.zip")
    Path teacherPath;
    @Option(names = "--samples", defaultValue = "20000")
    int samples;
    @Option(names = "--repeats", defaultValue = "3")
    int repeats;
    @Option(names = "--teacher-batch", defaultValue = "256")
    int teacherBatch;
    @Option(names = "--student-batch", defaultValue = "64")
    int studentBatch;
    @Option(names = "--hidden", defaultValue = "64")
    int hidden;
    @Option(names = "--fan-out", defaultValue = "8", description = "students reading the stream in the fan-out arm")
    int fanOut;
    @Option(names = "--warm-up-streams", defaultValue = "2", description = "untimed streams before the repeats, so that"
            + " the JIT has compiled the producer's and the broker's paths, as in a teacher streaming for hours"
            + " (default: ${DEFAULT-VALUE})")
    int warmUpStreams;
    @Option(names = "--teacher-only", description = "only the teacher's two arms (in process, streaming)")
    boolean teacherOnly;
    @Option(names = "--samples-per-record", description = "soft targets a Kafka record carries (1: one record a sample)",
            defaultValue = "" + RunSpec.DEFAULT_SAMPLES_PER_RECORD)
    int samplesPerRecord;
    @Option(names = "--sink", defaultValue = "kafka", description = "where the streaming arm sends: kafka (the broker),"
            + " or discard (Kafka's MockProducer, completing each send at once and holding the run's records until it"
            + " ends: the streamer's own cost without the producer's I/O and the broker's work; with --teacher-only)")
    String sink;
    @Option(names = "--in-process-order", defaultValue = "sequential", description = "the images the in-process arm"
            + " infers a batch at a time: sequential (0, 1, 2, ...) or run (the streamed run's shuffled order)")
    String inProcessOrder;
    @Option(names = "--bootstrap-servers", description = "a Kafka broker already running (e.g. KafkaBrokerMain in a"
            + " process of its own, on other cores) instead of one embedded in this JVM")
    String bootstrapServers;
    @Option(names = "--kafka", description = "a Kafka client setting over the mesh's own, e.g. compression.type=zstd"
            + " (repeatable)")
    Map<String, String> kafkaSettings = Map.of();

    private LabelledImages data;
    private TeacherModel teacher;
    private TopicAdmin topics;
    private KafkaSettings kafka;
    private int runCounter;
    private Producer<String, byte[]> deadLetters;

    public static void main(String[] args) {
        System.exit(new CommandLine(new ThroughputBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("kafka", "discard").contains(sink) || sink.equals("discard") && !teacherOnly) {
            throw new IllegalArgumentException("--sink is kafka or discard, and discard needs --teacher-only (students"
                    + " read from the broker), got " + sink);
        }
        if (!List.of("sequential", "run").contains(inProcessOrder)) {
            throw new IllegalArgumentException("--in-process-order is sequential or run, got " + inProcessOrder);
        }
        data = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN).head(samples);
        teacher = TeacherModel.load(teacherPath);
        Path work = Files.createTempDirectory("dm-bench-");
        try (EmbeddedKafkaBroker b = bootstrapServers == null ? EmbeddedKafkaBroker.start(work.resolve("kafka")) : null;
             TopicAdmin admin = new TopicAdmin(connect(b), 1)) {
            topics = admin;
            topics.ensure(Topics.DEAD_LETTERS, 1, Map.of());
            deadLetters = new KafkaProducer<>(kafka.producer("bench-dlq"));
            inferenceInProcess(); // warm-up
            for (int w = 0; w < warmUpStreams; w++) {
                stream(0, work);
            }
            List<double[]> teacherRows = new ArrayList<>();
            List<double[]> studentRows = new ArrayList<>();
            List<double[]> fanOutRows = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                long cpu0 = processCpuNanos();
                double inProcess = inferenceInProcess();
                long cpu1 = processCpuNanos();
                ThreadGroupCpu byThread = ThreadGroupCpu.start(ThroughputBench::threadGroup);
                String[] breakdown = new String[1];
                RunStatus streamed = stream(0, work, () -> breakdown[0] = byThread.summary());
                long cpu2 = processCpuNanos();
                System.out.printf("repeat %d: process CPU %.2f s in process, %.2f s streaming (teacher's two threads"
                                + " %.2f s; by thread: %s)%n", r + 1, (cpu1 - cpu0) / 1e9, (cpu2 - cpu1) / 1e9,
                        streamed.cpuNanos() / 1e9, breakdown[0]);
                double streaming = samples / (streamed.wallNanos() / 1e9);
                teacherRows.add(new double[]{inProcess, streaming, streaming / inProcess});
                if (teacherOnly) {
                    System.out.printf("repeat %d: teacher %.0f in process, %.0f streaming (%.3f)%n", r + 1,
                            inProcess, streaming, streaming / inProcess);
                    continue;
                }

                BatchClock fromMemory = studentFromMemory();
                BatchClock fromKafka = studentFromKafka(streamed.spec().runId(), work, r + 1);
                studentRows.add(new double[]{fromMemory.steadyRate(), fromKafka.steadyRate(),
                        fromKafka.steadyRate() / fromMemory.steadyRate(), fromMemory.startSeconds(),
                        fromKafka.startSeconds()});

                double cpuOne = stream(1, work).cpuNanos() / 1e9;
                double cpuMany = stream(fanOut, work).cpuNanos() / 1e9;
                fanOutRows.add(new double[]{cpuOne, cpuMany, cpuMany / cpuOne});
                System.out.printf("repeat %d: teacher %.0f in process, %.0f streaming (%.3f); student %.0f memory,"
                                + " %.0f Kafka (%.3f); teacher CPU %.2f s with 1 student, %.2f s with %d (%.3f)%n", r + 1,
                        inProcess, streaming, streaming / inProcess, studentRows.get(r)[0], studentRows.get(r)[1],
                        studentRows.get(r)[2], cpuOne, cpuMany, fanOut, cpuMany / cpuOne);
            }
            System.out.printf("%nThroughput, %d Fashion-MNIST training samples, median of %d repeats%n", samples, repeats);
            System.out.printf("%s; teacher %s, teacher batch %d, student MLP 784-%d-10 batch %d; %d samples a record; Kafka settings %s; broker %s%n%n",
                    Machine.describe(), teacherPath.getFileName(), teacherBatch, hidden, studentBatch, samplesPerRecord,
                    kafkaSettings.isEmpty() ? "the mesh's" : kafkaSettings,
                    bootstrapServers == null ? "embedded in this JVM" : bootstrapServers);
            System.out.println("| measure | value |");
            System.out.println("|---|---|");
            row("teacher inference in process, " + inProcessOrder + " order (samples/s)", median(teacherRows, 0), "%.0f");
            row(sink.equals("discard") ? "teacher streaming to a discarding MockProducer (samples/s)"
                    : "teacher streaming to Kafka, acks=all, idempotent (samples/s)", median(teacherRows, 1), "%.0f");
            row("ratio streaming / in-process (goal >= 0.95)", median(teacherRows, 2), "%.3f");
            if (teacherOnly) {
                deadLetters.close();
                return 0;
            }
            row("student training from memory (samples/s after the first batch)", median(studentRows, 0), "%.0f");
            row("student training from Kafka (samples/s after the first batch)", median(studentRows, 1), "%.0f");
            row("ratio Kafka / memory (goal >= 0.95)", median(studentRows, 2), "%.3f");
            row("student start-up to the first trained batch, memory (s)", median(studentRows, 3), "%.2f");
            row("student start-up to the first trained batch, Kafka (s)", median(studentRows, 4), "%.2f");
            row("teacher CPU seconds, 1 student reading", median(fanOutRows, 0), "%.2f");
            row("teacher CPU seconds, " + fanOut + " students reading", median(fanOutRows, 1), "%.2f");
            row("ratio " + fanOut + " / 1 students (goal <= 1.05)", median(fanOutRows, 2), "%.3f");
            deadLetters.close();
        }
        return 0;
    }

    /** The Kafka settings of the broker to use (the embedded one, or --bootstrap-servers), kept for the arms. */
    private KafkaSettings connect(EmbeddedKafkaBroker embedded) {
        kafka = new KafkaSettings(embedded != null ? embedded.bootstrapServers() : bootstrapServers, kafkaSettings);
        return kafka;
    }

    private double inferenceInProcess() {
        int[] order = inProcessOrder.equals("run") ? new EpochOrder(samples, RUN_SEED).permutation(0) : range(0, samples);
        long start = System.nanoTime();
        for (int from = 0; from < samples; from += teacherBatch) {
            int[] ids = Arrays.copyOfRange(order, from, Math.min(samples, from + teacherBatch));
            INDArray x = data.features(ids);
            float[][] logProbs = FloatArrays.rows(teacher.logProbs(x, 4.0));
            if (logProbs.length != ids.length) {
                throw new IllegalStateException("bad teacher output");
            }
        }
        return samples / ((System.nanoTime() - start) / 1e9);
    }

    /** Streams one run while {@code readers} students consume it concurrently; returns its status. */
    private RunStatus stream(int readers, Path work) throws Exception {
        return stream(readers, work, () -> {
        });
    }

    /** {@code beforeClose} runs once the run is sent and flushed, while the producer's threads still live. */
    private RunStatus stream(int readers, Path work, Runnable beforeClose) throws Exception {
        String runId = "bench-" + ProcessHandle.current().pid() + "-" + (runCounter++);
        topics.ensureRunTopic(Topics.softTargets(runId));
        RunSpec spec = new RunSpec(runId, teacherPath.getFileName().toString(), "fashion-mnist", "train", 4.0, 1,
                teacherBatch, samples, Integer.MAX_VALUE, RUN_SEED).withSamplesPerRecord(samplesPerRecord);
        RunStatus status = new RunStatus(spec, samples);
        List<Thread> students = new ArrayList<>();
        for (int s = 0; s < readers; s++) {
            Thread t = new Thread(studentLoop(runId, "fan" + runId + "-" + s, work));
            t.start();
            students.add(t);
        }
        try (Producer<String, byte[]> producer = sink.equals("discard")
                ? new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer())
                : new KafkaProducer<>(kafka.producer("bench-teacher"))) {
            new TeacherRunStreamer(teacher, data, status, producer, new SimpleMeterRegistry()).run();
            beforeClose.run();
        }
        for (Thread t : students) {
            t.join();
        }
        if (status.state() != RunStatus.State.DONE) {
            throw new IllegalStateException("run failed: " + status.toJson().encode());
        }
        return status;
    }

    private BatchClock studentFromMemory() {
        float[][] logProbs = FloatArrays.rows(teacher.logProbs(data.features(range(0, samples)), 4.0));
        BatchClock clock = new BatchClock();
        StudentTrainer trainer = StudentTrainer.create(ModelSpec.mlp(3, hidden), 4.0, 0.9);
        SoftBatchBuilder batch = trainer.newBatch(studentBatch);
        int[] order = new EpochOrder(samples, 1).permutation(0);
        long[] ids = new long[studentBatch];
        for (int id : order) {
            ids[batch.size()] = id;
            batch.add(data.image(id), data.labels()[id], logProbs[id], 4f);
            if (batch.isFull()) {
                trainer.fit(batch.build());
                clock.onBatch(0, Arrays.copyOf(ids, batch.size()));
                batch.clear();
            }
        }
        if (batch.size() > 0) {
            trainer.fit(batch.build());
            clock.onBatch(0, Arrays.copyOf(ids, batch.size()));
        }
        return clock;
    }

    /** Also prints the arm's CPU by thread group, taken at its last batch while the reader thread still lives. */
    private BatchClock studentFromKafka(String runId, Path work, int repeat) {
        BatchClock clock = new BatchClock();
        ThreadGroupCpu byThread = ThreadGroupCpu.start(name -> name.endsWith("-reader") ? "reader thread"
                : name.equals("main") ? "trainer" : "broker and other Java threads");
        long[] trained = new long[1];
        StudentTrainingLoop loop = studentLoop(runId, "mem-vs-kafka-" + runId, work, (pass, ids) -> {
            clock.onBatch(pass, ids);
            trained[0] += ids.length;
            if (trained[0] == samples) {
                System.out.printf("repeat %d: student from Kafka, CPU by thread: %s%n", repeat, byThread.summary());
            }
        });
        loop.run();
        if (loop.state() != StudentTrainingLoop.State.DONE) {
            throw new IllegalStateException("student failed: " + loop.error());
        }
        return clock;
    }

    private StudentTrainingLoop studentLoop(String runId, String studentId, Path work) {
        return studentLoop(runId, studentId, work, StudentTrainingLoop.TrainedBatchListener.NONE);
    }

    private StudentTrainingLoop studentLoop(String runId, String studentId, Path work,
                                            StudentTrainingLoop.TrainedBatchListener listener) {
        StudentSpec spec = StudentSpec.fromJson(new JsonObject().put("studentId", studentId).put("runId", runId)
                .put("hidden", new io.vertx.core.json.JsonArray().add(hidden)).put("temperature", 4.0)
                .put("alpha", 0.9).put("batchSize", studentBatch).put("seed", 3).put("checkpointEveryBatches", 1_000_000));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        return new StudentTrainingLoop(spec, kafka, new CheckpointStore(work.resolve("ckpt").resolve(studentId)),
                new DeadLetterPublisher(deadLetters, registry, "bench"), registry, listener);
    }

    private static String threadGroup(String name) {
        if (name.startsWith("teacher-inference")) {
            return "inference thread";
        }
        if (name.equals("main")) {
            return "sending thread";
        }
        if (name.startsWith("kafka-producer-network-thread")) {
            return "producer I/O";
        }
        return "broker and other Java threads";
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static int[] range(int from, int to) {
        int[] ids = new int[to - from];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = from + i;
        }
        return ids;
    }

    private static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    private static void row(String name, double value, String format) {
        System.out.printf("| %s | " + format + " |%n", name, value);
    }

    static {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
    }
}
