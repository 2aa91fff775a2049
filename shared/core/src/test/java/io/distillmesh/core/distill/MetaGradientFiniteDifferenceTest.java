package io.distillmesh.core.distill;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.Backprop;
import io.distillmesh.core.engine.HvpSettings;
import io.distillmesh.core.engine.LossGradients;
import io.distillmesh.core.model.ModelSpec;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meta-gradient (first-order passes + exact or finite-difference Hessian-vector products) against a central
 * finite difference of the WHOLE meta-loss, re-running the inner loop for every perturbation, in double
 * precision, for an MLP and the LeNet, with S=1,E=3 and S=3,E=1, with the hand-written and DL4J's backprop.
 */
class MetaGradientFiniteDifferenceTest {
    private static final int CHECKED_PIXELS = 30;
    private static final double H_PIXEL = 1e-6;
    private static final double H_STEP = 1e-7;
    private static final double TOLERANCE = 1e-4;
    /** Round-off floor of the reference: a central difference with h = 1e-6 of a loss ≈ 2.3 in double. */
    private static final double ABSOLUTE_ALLOWANCE = 1e-9;
    private static LabelledImages metaData;

    @BeforeAll
    static void load() {
        DoublePrecision.on();
        metaData = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(20);
    }

    @AfterAll
    static void restore() {
        DoublePrecision.off();
    }

    /**
     * ReLU and max-pooling make the meta-loss only piecewise smooth, and a LeNet has ~35k ReLU units and
     * ~9k pooling windows per 10 images and step, so kinks lie close to most points. A finite difference
     * (of the Hessian-vector products, or of the whole meta-loss) that crosses one compares against a
     * different piece. Measured here: with ε·‖v‖ = 1e-4 five of six LeNet seeds crossed a kink, with 1e-6
     * two of six (one point had a conv2 unit 5.5e-9 from its kink, which no finite difference resolves).
     * The checks therefore use ε·‖v‖ = 1e-6 for the LeNet (1e-4 for the MLP), FD steps of 1e-6 (pixels)
     * and 1e-7 (raw step sizes) in double precision, at points that are smooth on that scale: the init
     * and noise seeds are fixed and named below.
     */
    @ParameterizedTest(name = "{0} S={1} E={2} eps*|v|={3} seed={4} {5} {6}")
    @CsvSource({"mlp,1,3,0,0,exact,HAND_WRITTEN", "mlp,3,1,0,0,exact,HAND_WRITTEN", "lenet,1,3,0,1,exact,HAND_WRITTEN",
            "lenet,1,3,0,2,exact,HAND_WRITTEN", "lenet,1,3,0,3,exact,HAND_WRITTEN", "lenet,3,1,0,5,exact,HAND_WRITTEN",
            "mlp,1,3,1e-4,0,plain,HAND_WRITTEN", "mlp,3,1,1e-4,0,plain,HAND_WRITTEN",
            "lenet,1,3,1e-6,1,plain,HAND_WRITTEN", "lenet,3,1,1e-6,5,plain,HAND_WRITTEN",
            "lenet,1,3,1e-4,1,guarded,HAND_WRITTEN", "lenet,1,3,1e-4,2,guarded,HAND_WRITTEN",
            "lenet,1,3,1e-4,3,guarded,HAND_WRITTEN", "lenet,3,1,1e-4,5,guarded,HAND_WRITTEN",
            "mlp,1,3,1e-4,0,plain,DL4J", "mlp,3,1,1e-4,0,plain,DL4J", "lenet,1,3,1e-6,1,plain,DL4J",
            "lenet,3,1,1e-6,5,plain,DL4J", "lenet,1,3,1e-4,1,guarded,DL4J", "lenet,3,1,1e-4,5,guarded,DL4J"})
    void metaGradientMatchesFiniteDifferenceOfTheWholeMetaLoss(String network, int steps, int epochs, double hvpScale,
                                                              int seed, String guard, Backprop backprop) {
        ModelSpec spec = network.equals("mlp") ? ModelSpec.mlp(1, 32) : ModelSpec.lenet(1);
        InitSampler sampler = new InitSampler(InitSpec.fixed(spec, 7 + seed).withDataType("DOUBLE"), null);
        DistillationSchedule schedule = new DistillationSchedule(1, steps, epochs, 10);
        DistilledData data = DistilledData.initialise(schedule, ImageShape.MNIST, ImageInit.NOISE, null,
                0.3, 0.3, 0.05, 3 + seed, DataType.DOUBLE);
        for (int t = 0; t < schedule.totalSteps(); t++) {
            data.rawStepSizes().putScalar(t, Softplus.inverse(0.04 + 0.03 * t));
        }
        LossGradients gradients = new LossGradients(sampler.newNetwork(), backprop);
        InnerLoop inner = new InnerLoop(gradients);
        MetaGradient metaGradient = new MetaGradient(gradients, switch (guard) {
            case "exact" -> HvpSettings.exact();
            case "plain" -> HvpSettings.plain(hvpScale);
            default -> HvpSettings.guarded(hvpScale);
        });
        assertEquals(guard.equals("exact"), metaGradient.exact(), "exact Hessian-vector products");
        INDArray theta0 = sampler.draws(0).get(0);
        MetaBatch meta = new ClassificationObjective(new RealBatches(metaData, 20, 1)).metaBatch(0);

        MetaGradient.Result result = metaGradient.compute(inner.unroll(theta0, data.steps()), data.steps(), meta);
        INDArray rawGradient = data.rawStepSizeGradient(result.stepSizeGradient());
        assertEquals(metaLoss(inner, gradients, theta0, data, meta), result.metaLoss(), 1e-12);

        double maxRel = 0;
        double maxAbs = 0;
        int failures = 0;
        int byAllowanceOnly = 0;
        StringBuilder report = new StringBuilder();
        Random rnd = new Random(steps * 10L + epochs + network.hashCode());
        INDArray pixels = data.pixels();
        for (int k = 0; k < CHECKED_PIXELS; k++) {
            int row = rnd.nextInt((int) pixels.rows());
            int col = rnd.nextInt((int) pixels.columns());
            double original = pixels.getDouble(row, col);
            pixels.putScalar(row, col, original + H_PIXEL);
            double plus = metaLoss(inner, gradients, theta0, data, meta);
            pixels.putScalar(row, col, original - H_PIXEL);
            double minus = metaLoss(inner, gradients, theta0, data, meta);
            pixels.putScalar(row, col, original);
            double numeric = (plus - minus) / (2 * H_PIXEL);
            double analytic = result.pixelGradient().getDouble(row, col);
            double rel = relativeError(analytic, numeric);
            maxRel = Math.max(maxRel, rel);
            if (rel > TOLERANCE) {
                if (Math.abs(analytic - numeric) <= ABSOLUTE_ALLOWANCE) {
                    byAllowanceOnly++;
                } else {
                    failures++;
                }
            }
            maxAbs = Math.max(maxAbs, Math.abs(analytic));
            report.append(String.format("px(%d,%d) %.6e vs %.6e%n", row, col, analytic, numeric));
        }
        double maxRelPixels = maxRel;
        int pixelFailures = failures;
        maxRel = 0;
        INDArray raw = data.rawStepSizes();
        for (int t = 0; t < schedule.totalSteps(); t++) {
            double original = raw.getDouble(t);
            raw.putScalar(t, original + H_STEP);
            double plus = metaLoss(inner, gradients, theta0, data, meta);
            raw.putScalar(t, original - H_STEP);
            double minus = metaLoss(inner, gradients, theta0, data, meta);
            raw.putScalar(t, original);
            double numeric = (plus - minus) / (2 * H_STEP);
            double analytic = rawGradient.getDouble(t);
            maxRel = Math.max(maxRel, relativeError(analytic, numeric));
            report.append(String.format("raw step %d: %.8e vs %.8e%n", t, analytic, numeric));
        }
        System.out.printf("%s S=%d E=%d eps*|v|=%.0e seed=%d %s (%d retried, %d one-sided): max relative error, pixels %.2e "
                        + "(%d of %d within the %.0e round-off allowance only), raw step sizes %.2e%n", network, steps, epochs,
                hvpScale, seed, guard, result.retried(), result.oneSided(), maxRelPixels, byAllowanceOnly, CHECKED_PIXELS,
                ABSOLUTE_ALLOWANCE, maxRel);
        assertTrue(maxAbs > 1e-6, "pixel gradients are suspiciously small: " + maxAbs);
        assertEquals(0, pixelFailures, "pixel meta-gradient entries off by more than " + TOLERANCE + " relative (max "
                + maxRelPixels + ")\n" + report);
        assertTrue(maxRel <= TOLERANCE, "step-size meta-gradient, max relative error " + maxRel + "\n" + report);
    }

    private static double metaLoss(InnerLoop inner, LossGradients gradients, INDArray theta0, DistilledData data,
                                   MetaBatch meta) {
        return gradients.loss(inner.train(theta0, data.steps()), meta.features(), meta.targets());
    }

    private static double relativeError(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }
}
