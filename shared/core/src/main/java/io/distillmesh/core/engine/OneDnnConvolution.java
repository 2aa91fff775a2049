package io.distillmesh.core.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_dst_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_src_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;

/**
 * A 2-D convolution of one shape (NCHW input, OIHW weights, optional bias) through oneDNN: forward, input gradient,
 * and weight (and bias) gradient as three primitives that oneDNN lets run on its preferred blocked layouts, with the
 * reorders to and from NCHW planned once. The weight gradient needs no input gradient, so a first layer pays for
 * neither.
 */
final class OneDnnConvolution {
    private final OneDnn dnn;
    private final dnnl_memory_desc_t source;
    private final dnnl_memory_desc_t weights;
    private final dnnl_memory_desc_t bias;
    private final dnnl_memory_desc_t destination;
    private final long[] inputShape;
    private final long[] weightShape;
    private final long[] outputShape;
    private final long[] strides;
    private final long[] padLeft;
    private final long[] padRight;
    private final dnnl_primitive_desc forwardPlan;
    private Steps forward;
    private Steps inputGradient;
    private Steps weightGradient;

    private OneDnnConvolution(OneDnn dnn, long[] input, long[] weightShape, long[] output, long[] strides,
                              long[] padLeft, boolean withBias, int inputLayout, int outputLayout) {
        this.dnn = dnn;
        this.inputShape = input;
        this.weightShape = weightShape;
        this.outputShape = output;
        this.strides = strides;
        this.padLeft = padLeft;
        this.padRight = new long[2];
        for (int d = 0; d < 2; d++) {
            padRight[d] = Math.max(0, (output[2 + d] - 1) * strides[d] + weightShape[2 + d] - input[2 + d] - padLeft[d]);
        }
        this.source = OneDnn.descriptor(inputLayout, input);
        this.weights = OneDnn.descriptor(dnnl_oihw, weightShape);
        this.bias = withBias ? OneDnn.descriptor(dnnl_a, weightShape[0]) : null;
        this.destination = OneDnn.descriptor(outputLayout, output);
        dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
        OneDnn.check(dnnl_convolution_forward_desc_init(op, dnnl_forward_training, dnnl_convolution_direct,
                any(input), any(weightShape), bias, any(output), strides, padLeft, padRight), "describing a convolution");
        this.forwardPlan = dnn.primitiveDescriptor(op, null, "planning a convolution");
    }

    /**
     * This thread's plan for a convolution of {@code input} by {@code weightShape} into {@code output} (NCHW shapes;
     * the maps' layouts {@code dnnl_nchw} or {@code dnnl_nChw16c}) with {@code strides} and top/left padding
     * {@code padLeft} (the bottom/right padding follows from the shapes).
     */
    static OneDnnConvolution of(long[] input, long[] weightShape, long[] output, long[] strides, long[] padLeft,
                                boolean withBias, int inputLayout, int outputLayout) {
        OneDnn dnn = OneDnn.here();
        List<Object> key = List.of("convolution", Arrays.toString(input), Arrays.toString(weightShape),
                Arrays.toString(output), Arrays.toString(strides), Arrays.toString(padLeft), withBias, inputLayout,
                outputLayout);
        return dnn.plan(key, () -> new OneDnnConvolution(dnn, input, weightShape, output, strides, padLeft, withBias,
                inputLayout, outputLayout));
    }

    /**
     * out = w ⋆ x (+ b). Answers x in the layout the primitive read it in, where that is not NCHW (null where it
     * is), so that the weight gradient can read it again without a second reorder.
     */
    INDArray forward(INDArray x, INDArray w, INDArray b, INDArray out) {
        if (forward == null) {
            forward = new Steps(forwardPlan);
            forward.in(DNNL_ARG_SRC, source, dnnl_query_src_md);
            forward.in(DNNL_ARG_WEIGHTS, weights, dnnl_query_weights_md);
            if (bias != null) {
                forward.in(DNNL_ARG_BIAS, bias, -1);
            }
            forward.out(DNNL_ARG_DST, destination, dnnl_query_dst_md);
            forward.seal();
        }
        INDArray[] internal = forward.run(bias != null ? new INDArray[]{x, w, b, out} : new INDArray[]{x, w, out},
                null);
        forward.release(internal, 0);
        return internal[0];
    }

    /**
     * The gradients of Σ dy ⊙ (w ⋆ x + b): dw (and db where the convolution has a bias), and dx unless it is null.
     * {@code blockedInput} is what {@link #forward} answered for x. The output gradient is reordered once for both
     * primitives where they read it in the same layout.
     */
    void backward(INDArray x, INDArray blockedInput, INDArray w, INDArray dy, INDArray dx, INDArray dw,
                  INDArray db) {
        Steps weightStep = weightGradient();
        INDArray[] reuse = {weightStep.internalMatches(0, forward, 0) ? blockedInput : null, null, null, null};
        INDArray[] internal = weightStep.run(bias != null ? new INDArray[]{x, dy, dw, db}
                : new INDArray[]{x, dy, dw}, reuse);
        if (dx != null) {
            Steps inputStep = inputGradient();
            INDArray[] reuseDy = {null, inputStep.internalMatches(1, weightStep, 1) ? internal[1] : null, null};
            inputStep.release(inputStep.run(new INDArray[]{w, dy, dx}, reuseDy), -1);
        }
        weightStep.release(internal, -1);
    }

    private Steps inputGradient() {
        if (inputGradient == null) {
            dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_data_desc_init(op, dnnl_convolution_direct, any(inputShape),
                    any(weightShape), any(outputShape), strides, padLeft, padRight), "describing an input gradient");
            inputGradient = new Steps(dnn.primitiveDescriptor(op, forwardPlan, "planning an input gradient"));
            inputGradient.in(DNNL_ARG_WEIGHTS, weights, dnnl_query_weights_md);
            inputGradient.in(DNNL_ARG_DIFF_DST, destination, dnnl_query_diff_dst_md);
            inputGradient.out(DNNL_ARG_DIFF_SRC, source, dnnl_query_diff_src_md);
            inputGradient.seal();
        }
        return inputGradient;
    }

    private Steps weightGradient() {
        if (weightGradient == null) {
            dnnl_convolution_desc_t op = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_weights_desc_init(op, dnnl_convolution_direct, any(inputShape),
                    any(weightShape), bias, any(outputShape), strides, padLeft, padRight), "describing a weight gradient");
            weightGradient = new Steps(dnn.primitiveDescriptor(op, forwardPlan, "planning a weight gradient"));
            weightGradient.in(DNNL_ARG_SRC, source, dnnl_query_src_md);
            weightGradient.in(DNNL_ARG_DIFF_DST, destination, dnnl_query_diff_dst_md);
            weightGradient.out(DNNL_ARG_DIFF_WEIGHTS, weights, dnnl_query_diff_weights_md);
            if (bias != null) {
                weightGradient.out(DNNL_ARG_DIFF_BIAS, bias, -1);
            }
            weightGradient.seal();
        }
        return weightGradient;
    }

    private static dnnl_memory_desc_t any(long[] dims) {
        return OneDnn.descriptor(dnnl_format_tag_any, dims);
    }

    /**
     * One primitive with its reorders: user arrays (NCHW) are bound, in order of {@link #in}/{@link #out} calls, to
     * memory objects; where the primitive wants another layout, a reorder copies into (or out of) an array made for
     * the call (in the caller's workspace, if one is open).
     */
    private final class Steps {
        private final dnnl_primitive_desc plan;
        private final List<dnnl_memory> user = new ArrayList<>();
        private final List<dnnl_memory> internal = new ArrayList<>();
        private final List<dnnl_memory_desc_t> internalLayouts = new ArrayList<>();
        private final List<OneDnn.Call> reorders = new ArrayList<>();
        private final List<Object> arguments = new ArrayList<>();
        private OneDnn.Call main;
        private int inputs;

        Steps(dnnl_primitive_desc plan) {
            this.plan = plan;
        }

        /** An input of kind {@code argument}; {@code query} -1 where the primitive takes the user's layout as is. */
        void in(int argument, dnnl_memory_desc_t layout, int query) {
            inputs++;
            add(argument, layout, query, true);
        }

        void out(int argument, dnnl_memory_desc_t layout, int query) {
            add(argument, layout, query, false);
        }

        private void add(int argument, dnnl_memory_desc_t layout, int query, boolean input) {
            dnnl_memory userMemory = dnn.memory(layout);
            user.add(userMemory);
            dnnl_memory_desc_t wanted = query < 0 ? layout : OneDnn.query(plan, query);
            arguments.add(argument);
            if (OneDnn.same(layout, wanted)) {
                internal.add(null);
                internalLayouts.add(null);
                reorders.add(null);
                arguments.add(userMemory);
                return;
            }
            dnnl_memory own = dnn.memory(wanted);
            internal.add(own);
            internalLayouts.add(wanted);
            reorders.add(input ? dnn.reorder(layout, wanted, userMemory, own) : dnn.reorder(wanted, layout, own, userMemory));
            arguments.add(own);
        }

        void seal() {
            main = dnn.new Call(OneDnn.primitive(plan), arguments.toArray());
        }

        /** Whether argument {@code i} is read in the same (non-NCHW) layout as argument {@code j} of {@code other}. */
        boolean internalMatches(int i, Steps other, int j) {
            return other != null && internalLayouts.get(i) != null && other.internalLayouts.get(j) != null
                    && OneDnn.same(internalLayouts.get(i), other.internalLayouts.get(j));
        }

        /**
         * Runs the reorders in, the primitive, the reorders out; {@code ready[i]}, where given, already holds input i
         * in the primitive's layout. Answers the arrays made for the call (null where none was needed).
         */
        INDArray[] run(INDArray[] arrays, INDArray[] ready) {
            INDArray[] plain = new INDArray[arrays.length];
            INDArray[] made = new INDArray[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                plain[i] = OneDnn.isPlain(arrays[i]) ? arrays[i] : arrays[i].dup('c');
                OneDnn.bind(user.get(i), plain[i]);
                if (internal.get(i) != null) {
                    made[i] = ready != null && ready[i] != null ? ready[i]
                            : Nd4j.createUninitialized(DataType.FLOAT, OneDnn.bytes(internalLayouts.get(i)) / 4);
                    OneDnn.bind(internal.get(i), made[i]);
                    if (i < inputs && (ready == null || ready[i] == null)) {
                        reorders.get(i).run();
                    }
                }
            }
            main.run();
            for (int i = inputs; i < arrays.length; i++) {
                if (reorders.get(i) != null) {
                    reorders.get(i).run();
                }
                if (plain[i] != arrays[i]) {
                    arrays[i].assign(plain[i]);
                }
            }
            for (int i = 0; i < arrays.length; i++) {
                if (plain[i] != arrays[i]) {
                    OffHeap.release(plain[i]);
                }
                if (ready != null && ready[i] != null) {
                    made[i] = null;
                }
            }
            return made;
        }

        /** Frees the arrays {@link #run} made, except the one at {@code keep}. */
        void release(INDArray[] made, int keep) {
            for (int i = 0; i < made.length; i++) {
                if (i != keep && made[i] != null) {
                    OffHeap.release(made[i]);
                }
            }
        }
    }
}
