package io.distillmesh.core.distill;

import io.distillmesh.core.model.ModelSpec;
import io.distillmesh.core.model.ModelZoo;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Turns an {@link InitSpec} into parameter vectors θ_0, deterministically: the inits a meta-iteration
 * trains through ({@link #draws}) and the inits a distilled set is evaluated on ({@link #evaluation}).
 * A random init with seed s is exactly what {@link ModelZoo#classifier} builds for the network with seed s.
 * Seeds of meta-iterations and of evaluation inits come from disjoint streams, so evaluation inits of
 * the random modes are held out from training.
 */
public final class InitSampler {
    private static final long TRAIN_STREAM = 0x5EED_0001L;
    private static final long EVAL_STREAM = 0x5EED_0002L;
    private final InitSpec spec;
    private final PretrainedPool pool;
    private final DataType dataType;
    private final long numParams;
    private INDArray fixed;

    public InitSampler(InitSpec spec, PretrainedPool pool) {
        if (spec == null) {
            throw new IllegalArgumentException("an init spec is required");
        }
        this.spec = spec;
        this.pool = pool == null ? PretrainedPool.EMPTY : pool;
        this.dataType = DataType.valueOf(spec.dataType());
        this.numParams = newNetwork().numParams();
        for (String ref : spec.pretrained()) {
            long n = this.pool.get(ref).length();
            if (n != numParams) {
                throw new IllegalArgumentException("pretrained model '" + ref + "' has " + n + " parameters, "
                        + spec.network().describe() + " has " + numParams);
            }
        }
    }

    public InitSpec spec() {
        return spec;
    }

    public DataType dataType() {
        return dataType;
    }

    /** A fresh network of the spec's architecture and precision (its parameters are set before use). */
    public MultiLayerNetwork newNetwork() {
        MultiLayerNetwork net = ModelZoo.classifier(spec.network());
        return dataType == DataType.FLOAT ? net : net.convertDataType(dataType);
    }

    /** The inits meta-iteration {@code iteration} averages over (one, or models-per-iteration). */
    public List<INDArray> draws(int iteration) {
        List<INDArray> out = new ArrayList<>(spec.modelsPerIteration());
        for (int k = 0; k < spec.modelsPerIteration(); k++) {
            out.add(switch (spec.mode()) {
                case FIXED, FIXED_PRETRAINED -> fixed();
                case RANDOM -> randomInit(derive(TRAIN_STREAM, iteration, k));
                case RANDOM_PRETRAINED -> pooled(Math.floorMod(derive(TRAIN_STREAM, iteration, k), spec.pretrained().size()));
            });
        }
        return out;
    }

    /**
     * Evaluation init {@code k}: the fixed init itself in the fixed modes; a held-out random init in
     * random mode; pool member k (mod pool size) in random-pretrained mode.
     */
    public INDArray evaluation(int k) {
        return switch (spec.mode()) {
            case FIXED, FIXED_PRETRAINED -> fixed();
            case RANDOM -> randomInit(derive(EVAL_STREAM, 0, k));
            case RANDOM_PRETRAINED -> pooled(Math.floorMod(k, spec.pretrained().size()));
        };
    }

    private INDArray fixed() {
        if (fixed == null) {
            fixed = spec.mode() == InitMode.FIXED ? randomInit(spec.seed()) : pooled(0);
        }
        return fixed.dup();
    }

    private INDArray randomInit(long seed) {
        ModelSpec network = spec.network().withSeed(seed);
        return ModelZoo.classifier(network).params().castTo(dataType).dup();
    }

    private INDArray pooled(int index) {
        return pool.get(spec.pretrained().get(index)).reshape(numParams).castTo(dataType).dup();
    }

    private long derive(long stream, int iteration, int k) {
        long h = spec.seed() * 0x9E3779B97F4A7C15L + stream;
        h = mix(h ^ iteration);
        h = mix(h ^ ((long) k << 32));
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
