package io.distillmesh.teacher;

import io.distillmesh.core.data.DataSets;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.messaging.Topics;
import io.distillmesh.messaging.kafka.TopicAdmin;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;

/**
 * What a run needs before it streams: its teacher (which must be able to give the FSP pairs it asks for), its
 * data, its topics, and how much of it they already hold (a run asked for again after the teacher was restarted
 * goes on where its stream stopped). Blocking: it may load a model or a data set and talks to Kafka. A spec this teacher
 * cannot serve is refused with an {@link IllegalArgumentException} naming the reason.
 */
final class RunSetup {
    private final TeacherModels models;
    private final DataSets dataSets;
    private final TopicAdmin topics;
    private final Producer<String, byte[]> producer;
    private final MeterRegistry registry;

    RunSetup(TeacherModels models, DataSets dataSets, TopicAdmin topics, Producer<String, byte[]> producer,
             MeterRegistry registry) {
        this.models = models;
        this.dataSets = dataSets;
        this.topics = topics;
        this.producer = producer;
        this.registry = registry;
    }

    TeacherRunStreamer prepare(RunSpec spec) {
        TeacherNetwork teacher = models.get(spec.model());
        teacher.requirePairs(spec.fspPairs());
        LabelledImages data = dataSets.get(spec.dataset(), spec.split().equals("train")
                ? FashionMnist.Split.TRAIN : FashionMnist.Split.TEST);
        String softTargets = Topics.softTargets(spec.runId());
        String fsp = Topics.fsp(spec.runId());
        topics.ensureRunTopic(softTargets);
        if (spec.streamsFsp()) {
            topics.ensureRunTopic(fsp);
        }
        long total = (long) spec.epochs() * Math.min(spec.limit(), data.size());
        RunStatus status = new RunStatus(spec, total);
        StreamedSoFar soFar = new StreamedSoFar(topics.records(softTargets),
                spec.streamsFsp() ? topics.records(fsp) : 0);
        status.addProduced(Math.min(total, soFar.softTargets()));
        return new TeacherRunStreamer(teacher, data, status, producer, registry, soFar);
    }
}
