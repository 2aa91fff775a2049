package io.distillmesh.student;

import io.distillmesh.core.eval.ArgMax;
import io.distillmesh.messaging.records.SoftTargetRecord;

/** Which records of the run's stream a student trains on. */
@FunctionalInterface
interface SampleFilter {
    boolean keeps(SoftTargetRecord sample);

    /** Labelled samples always; unlabelled ones only when the student learns from soft targets (α > 0). */
    static SampleFilter of(StudentSpec spec) {
        boolean unlabelled = spec.alpha() > 0;
        if (!spec.isSpecialist()) {
            return s -> s.labelled() || unlabelled;
        }
        var sampling = spec.specialist().sampling();
        return s -> (s.labelled() || unlabelled) && sampling.keeps(s.sampleId(), s.labelled() ? s.label() : ArgMax.of(s.logProbs()));
    }
}
