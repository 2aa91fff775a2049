package io.distillmesh.core.engine;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_pooling_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;

/**
 * 2-D max pooling of one shape (NCHW, no padding) through oneDNN, keeping the forward pass's workspace (which
 * element of each window won) so that the backward pass routes each gradient without searching the windows again.
 */
final class OneDnnMaxPooling {
    private final long workspaceBytes;
    private final dnnl_memory source;
    private final dnnl_memory destination;
    private final dnnl_memory workspace;
    private final dnnl_memory sourceGradient;
    private final dnnl_memory destinationGradient;
    private final dnnl_memory backwardWorkspace;
    private final OneDnn.Call forward;
    private final OneDnn.Call backward;

    private OneDnnMaxPooling(OneDnn dnn, long[] input, long[] output, PoolingWindow window) {
        dnnl_memory_desc_t in = OneDnn.descriptor(dnnl_nchw, input);
        dnnl_memory_desc_t out = OneDnn.descriptor(dnnl_nchw, output);
        long[] strides = {window.strideH(), window.strideW()};
        long[] kernel = {window.kernelH(), window.kernelW()};
        long[] padLeft = {0, 0};
        long[] padRight = new long[2];
        for (int d = 0; d < 2; d++) {
            padRight[d] = Math.max(0, (output[2 + d] - 1) * strides[d] + kernel[d] - input[2 + d]);
        }
        dnnl_pooling_desc_t forwardOp = new dnnl_pooling_desc_t();
        OneDnn.check(dnnl_pooling_forward_desc_init(forwardOp, dnnl_forward_training, dnnl_pooling_max, in, out,
                strides, kernel, padLeft, padRight), "describing max pooling");
        dnnl_primitive_desc forwardPlan = dnn.primitiveDescriptor(forwardOp, null, "planning max pooling");
        dnnl_pooling_desc_t backwardOp = new dnnl_pooling_desc_t();
        OneDnn.check(dnnl_pooling_backward_desc_init(backwardOp, dnnl_pooling_max, in, out, strides, kernel, padLeft,
                padRight), "describing max pooling's gradient");
        dnnl_primitive_desc backwardPlan = dnn.primitiveDescriptor(backwardOp, forwardPlan,
                "planning max pooling's gradient");
        dnnl_memory_desc_t kept = OneDnn.query(forwardPlan, dnnl_query_workspace_md);
        this.workspaceBytes = OneDnn.bytes(kept);
        this.source = dnn.memory(in);
        this.destination = dnn.memory(out);
        this.workspace = dnn.memory(kept);
        this.sourceGradient = dnn.memory(in);
        this.destinationGradient = dnn.memory(out);
        this.backwardWorkspace = dnn.memory(kept);
        this.forward = dnn.new Call(OneDnn.primitive(forwardPlan), DNNL_ARG_SRC, source, DNNL_ARG_DST, destination,
                DNNL_ARG_WORKSPACE, workspace);
        this.backward = dnn.new Call(OneDnn.primitive(backwardPlan), DNNL_ARG_DIFF_DST, destinationGradient,
                DNNL_ARG_DIFF_SRC, sourceGradient, DNNL_ARG_WORKSPACE, backwardWorkspace);
    }

    /** This thread's plan for pooling {@code input} (NCHW) into {@code output} through {@code window}. */
    static OneDnnMaxPooling of(long[] input, long[] output, PoolingWindow window) {
        OneDnn dnn = OneDnn.here();
        List<Object> key = List.of("max pooling", Arrays.toString(input), Arrays.toString(output), window);
        return dnn.plan(key, () -> new OneDnnMaxPooling(dnn, input, output, window));
    }

    /** Pools {@code x} into {@code out}; answers the workspace the backward pass needs. */
    INDArray forward(INDArray x, INDArray out) {
        INDArray kept = Nd4j.createUninitialized(DataType.UBYTE, workspaceBytes);
        OneDnn.bind(source, x);
        OneDnn.bind(destination, out);
        OneDnn.bindBytes(workspace, kept);
        forward.run();
        return kept;
    }

    /** The input's gradient {@code dx} from the output's {@code dy} and the forward pass's {@code kept} workspace. */
    void backward(INDArray dy, INDArray kept, INDArray dx) {
        OneDnn.bind(destinationGradient, dy);
        OneDnn.bind(sourceGradient, dx);
        OneDnn.bindBytes(backwardWorkspace, kept);
        backward.run();
    }
}
