package io.distillmesh.distiller;

import io.distillmesh.core.condense.CondensationSettings;
import io.distillmesh.core.distill.ImageInit;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.model.ModelSpec;

import java.nio.file.Path;
import java.util.List;

/**
 * A job spec the validator accepted, with its names resolved: what the runner builds the distillation from;
 * {@code condensation} the settings of a condensing job (distribution or gradient matching), null for Wang et al.'s.
 */
public record DistillPlan(DistillJobSpec spec, ModelSpec network, InitMode initMode, ImageInit imageInit,
                          List<Path> pretrainedFiles, long memoryEstimateBytes, CondensationSettings condensation) {
    public DistillPlan {
        pretrainedFiles = List.copyOf(pretrainedFiles);
    }
}
