package io.distillmesh.core.distill;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Trained parameter vectors by reference (a file path, or a name describing how they were trained),
 * for the pretrained init modes. An {@link InitSpec} holds only the references; a replay needs the same pool.
 */
public final class PretrainedPool {
    public static final PretrainedPool EMPTY = new PretrainedPool(Map.of());
    private final Map<String, INDArray> params;

    public PretrainedPool(Map<String, INDArray> params) {
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
                throw new IllegalArgumentException("pretrained pool entries need a reference and a parameter vector");
            }
        }
        Map<String, INDArray> copy = new LinkedHashMap<>();
        params.forEach((k, v) -> copy.put(k, v.dup()));
        this.params = copy;
    }

    /** DL4J model files (ModelSerializer), each referenced by its path as given. */
    public static PretrainedPool fromModelFiles(List<Path> files) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Path f : files) {
            try {
                out.put(f.toString(), ModelSerializer.restoreMultiLayerNetwork(f.toFile(), false).params());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read pretrained model " + f, e);
            }
        }
        return new PretrainedPool(out);
    }

    public INDArray get(String reference) {
        INDArray p = params.get(reference);
        if (p == null) {
            throw new IllegalArgumentException("pretrained model '" + reference + "' is not in the pool (pool has "
                    + params.keySet() + ")");
        }
        return p.dup();
    }

    public Set<String> references() {
        return params.keySet();
    }
}
