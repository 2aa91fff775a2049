package io.distillmesh.evaluator;

import io.distillmesh.evaluator.web.ResultsBoard;
import io.distillmesh.messaging.kafka.TopicAdmin;

import java.util.Map;

/** The evaluator's own topic, and the shared ones it reads or writes. */
public final class EvaluationTopics {
    /**
     * Evaluation results, keyed {@code <subjectId>@<pointId>} (see {@link ResultsBoard} for why), compacted and
     * never deleted by age: it is the evaluator's whole state. One partition, so it is read in one total order.
     */
    public static final String RESULTS = "dm.eval.results";

    private EvaluationTopics() {
    }

    /** Creates dm.dlq, dm.checkpoints, dm.distilled, dm.distill.progress and dm.eval.results where missing. Blocking. */
    public static void ensure(TopicAdmin topics) {
        topics.ensureSharedTopics();
        topics.ensureDistillationTopics();
        topics.ensure(RESULTS, 1, Map.of("cleanup.policy", "compact"));
    }
}
