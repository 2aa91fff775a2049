package io.distillmesh.teacher;

import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;

/**
 * What a run needs before it streams: its teacher (which must be able to give the FSP pairs it asks for), its
 * data and its topics (the soft-target topic, the FSP topic if it asks for pairs, and its work topic with
 * {@code partitions} partitions: at most that many teacher work loops share the run). Blocking: it may load a model
 * or a data set and talks to Kafka. A spec this teacher cannot serve is refused with an
 * {@link IllegalArgumentException} naming the reason.
 */
final class RunSetup {
    private final TeacherModels models;
    private final DataSets dataSets;
    private final TopicAdmin topics;
    private final MeterRegistry registry;
    private final int partitions;

    RunSetup(TeacherModels models, DataSets dataSets, TopicAdmin topics, MeterRegistry registry, int partitions) {
        this.models = models;
        this.dataSets = dataSets;
        this.topics = topics;
        this.registry = registry;
        this.partitions = partitions;
    }

    PreparedRun prepare(RunSpec spec) {
        TeacherNetwork teacher = models.get(spec.model());
        teacher.requirePairs(spec.fspPairs());
        LabelledImages data = dataSets.get(spec.dataset(), spec.split().equals("train")
                ? FashionMnist.Split.TRAIN : FashionMnist.Split.TEST);
        topics.ensureRunTopic(Topics.softTargets(spec.runId()));
        if (spec.streamsFsp()) {
            topics.ensureRunTopic(Topics.fsp(spec.runId()));
        }
        topics.ensure(Topics.work(spec.runId()), partitions, Map.of("retention.ms", "-1", "retention.bytes", "-1"));
        return new PreparedRun(spec, teacher, data, registry);
    }

    int partitions() {
        return partitions;
    }
}
