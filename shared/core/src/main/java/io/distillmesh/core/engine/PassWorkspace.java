package io.distillmesh.core.engine;

import java.util.List;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A thread's reusable off-heap block (an ND4J workspace) for the intermediate arrays of one kind of pass
 * of {@link SmallNetworkGradientEngine} or {@link GraphTrainer}. The first pass sizes it, a larger later pass grows it, and every
 * pass after that reuses the same memory instead of allocating and freeing its activations (and leaving
 * what a pass forgot to free to the garbage collector). Arrays created inside are only valid until the
 * scope closes; results must be {@code detach()}ed or copied out before.
 */
public final class PassWorkspace {
    public static final PassWorkspace PARAMS_AND_INPUT = new PassWorkspace("distill-mesh-params-and-input");
    static final PassWorkspace SCORED = new PassWorkspace("distill-mesh-scored");
    static final PassWorkspace LOSS = new PassWorkspace("distill-mesh-loss");
    static final PassWorkspace LOGITS = new PassWorkspace("distill-mesh-logits");
    static final PassWorkspace GRAPH = new PassWorkspace("distill-mesh-graph");
    static final PassWorkspace GRAPH_LOGITS = new PassWorkspace("distill-mesh-graph-logits");
    private static final List<PassWorkspace> ALL = List.of(PARAMS_AND_INPUT, SCORED, LOSS, LOGITS, GRAPH, GRAPH_LOGITS);
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .build();

    private final String id;

    private PassWorkspace(String id) {
        this.id = id;
    }

    /** Opens this thread's workspace; close it (try-with-resources) when the pass is done. */
    MemoryWorkspace open() {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
    }

    /** Frees this workspace of the current thread, if it has one. */
    public void release() {
        if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(id)) {
            Nd4j.getWorkspaceManager().destroyWorkspace(Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(id));
        }
    }

    /** Frees the current thread's pass workspaces (after a distillation run: a worker thread may idle long). */
    public static void releaseForCurrentThread() {
        ALL.forEach(PassWorkspace::release);
    }
}
