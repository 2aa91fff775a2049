package io.distillmesh.core.engine;

import java.util.Arrays;
import java.util.List;
import org.bytedeco.dnnl.dnnl_batch_normalization_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MEAN;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCALE;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SHIFT;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_VARIANCE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_backward;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_batch_normalization_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nChw16c;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_global_stats;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_scale;
import static org.bytedeco.dnnl.global.dnnl.dnnl_use_shift;

/**
 * Batch normalisation of blocked maps (oneDNN's nChw16c, {@link OneDnn#isBlocked}) of one shape through oneDNN's
 * primitives: training (the batch's mean and biased variance, which it answers), inference (given statistics) and
 * the backward pass (input, γ and β gradients, the batch statistics' own terms included).
 */
final class OneDnnBatchNorm {
    private final dnnl_memory x;
    private final dnnl_memory y;
    private final dnnl_memory mean;
    private final dnnl_memory variance;
    private final dnnl_memory gamma;
    private final dnnl_memory beta;
    private final dnnl_memory dy;
    private final dnnl_memory dx;
    private final dnnl_memory dGamma;
    private final dnnl_memory dBeta;
    private final OneDnn.Call training;
    private final OneDnn.Call inference;
    private final OneDnn.Call backward;

    private OneDnnBatchNorm(OneDnn dnn, long[] shape, float eps) {
        dnnl_memory_desc_t maps = OneDnn.descriptor(dnnl_nChw16c, shape);
        dnnl_memory_desc_t channels = OneDnn.descriptor(dnnl_a, shape[1]);
        int flags = dnnl_use_scale | dnnl_use_shift;
        dnnl_batch_normalization_desc_t trainingOp = new dnnl_batch_normalization_desc_t();
        OneDnn.check(dnnl_batch_normalization_forward_desc_init(trainingOp, dnnl_forward_training, maps, eps, flags),
                "describing batch normalisation");
        dnnl_primitive_desc trainingPlan = dnn.primitiveDescriptor(trainingOp, null, "planning batch normalisation");
        dnnl_batch_normalization_desc_t inferenceOp = new dnnl_batch_normalization_desc_t();
        OneDnn.check(dnnl_batch_normalization_forward_desc_init(inferenceOp, dnnl_forward_inference, maps, eps,
                flags | dnnl_use_global_stats), "describing batch normalisation for inference");
        dnnl_primitive_desc inferencePlan = dnn.primitiveDescriptor(inferenceOp, null,
                "planning batch normalisation for inference");
        dnnl_batch_normalization_desc_t backwardOp = new dnnl_batch_normalization_desc_t();
        OneDnn.check(dnnl_batch_normalization_backward_desc_init(backwardOp, dnnl_backward, maps, maps, eps, flags),
                "describing batch normalisation's gradient");
        dnnl_primitive_desc backwardPlan = dnn.primitiveDescriptor(backwardOp, trainingPlan,
                "planning batch normalisation's gradient");
        x = dnn.memory(maps);
        y = dnn.memory(maps);
        dy = dnn.memory(maps);
        dx = dnn.memory(maps);
        mean = dnn.memory(channels);
        variance = dnn.memory(channels);
        gamma = dnn.memory(channels);
        beta = dnn.memory(channels);
        dGamma = dnn.memory(channels);
        dBeta = dnn.memory(channels);
        training = dnn.new Call(OneDnn.primitive(trainingPlan), DNNL_ARG_SRC, x, DNNL_ARG_DST, y, DNNL_ARG_MEAN, mean,
                DNNL_ARG_VARIANCE, variance, DNNL_ARG_SCALE, gamma, DNNL_ARG_SHIFT, beta);
        inference = dnn.new Call(OneDnn.primitive(inferencePlan), DNNL_ARG_SRC, x, DNNL_ARG_DST, y, DNNL_ARG_MEAN,
                mean, DNNL_ARG_VARIANCE, variance, DNNL_ARG_SCALE, gamma, DNNL_ARG_SHIFT, beta);
        backward = dnn.new Call(OneDnn.primitive(backwardPlan), DNNL_ARG_SRC, x, DNNL_ARG_MEAN, mean,
                DNNL_ARG_VARIANCE, variance, DNNL_ARG_DIFF_DST, dy, DNNL_ARG_SCALE, gamma, DNNL_ARG_SHIFT, beta,
                DNNL_ARG_DIFF_SRC, dx, DNNL_ARG_DIFF_SCALE, dGamma, DNNL_ARG_DIFF_SHIFT, dBeta);
    }

    /** This thread's plan for maps of NCHW shape {@code shape} held blocked, with ε = {@code eps}. */
    static OneDnnBatchNorm of(long[] shape, double eps) {
        OneDnn dnn = OneDnn.here();
        List<Object> key = List.of("batch normalisation", Arrays.toString(shape), eps);
        return dnn.plan(key, () -> new OneDnnBatchNorm(dnn, shape, (float) eps));
    }

    /** out = γ·(in − μ)/√(σ² + ε) + β with the batch's μ and σ², written into {@code batchMean} and {@code batchVariance}. */
    void training(INDArray in, INDArray g, INDArray b, INDArray out, INDArray batchMean, INDArray batchVariance) {
        bindForward(in, g, b, out, batchMean, batchVariance);
        training.run();
    }

    /** out = γ·(in − μ)/√(σ² + ε) + β with the given μ and σ². */
    void inference(INDArray in, INDArray g, INDArray b, INDArray out, INDArray givenMean, INDArray givenVariance) {
        bindForward(in, g, b, out, givenMean, givenVariance);
        inference.run();
    }

    /** The input's, γ's and β's gradients from the output's, at the batch statistics the training pass answered. */
    void backward(INDArray in, INDArray g, INDArray b, INDArray batchMean, INDArray batchVariance, INDArray outGradient,
                  INDArray inGradient, INDArray gammaGradient, INDArray betaGradient) {
        bindInputs(in, g, b, batchMean, batchVariance);
        OneDnn.bind(dy, outGradient);
        OneDnn.bind(dx, inGradient);
        OneDnn.bind(dGamma, gammaGradient);
        OneDnn.bind(dBeta, betaGradient);
        backward.run();
    }

    private void bindForward(INDArray in, INDArray g, INDArray b, INDArray out, INDArray m, INDArray v) {
        bindInputs(in, g, b, m, v);
        OneDnn.bind(y, out);
    }

    private void bindInputs(INDArray in, INDArray g, INDArray b, INDArray m, INDArray v) {
        OneDnn.bind(x, in);
        OneDnn.bind(gamma, g);
        OneDnn.bind(beta, b);
        OneDnn.bind(mean, m);
        OneDnn.bind(variance, v);
    }
}
