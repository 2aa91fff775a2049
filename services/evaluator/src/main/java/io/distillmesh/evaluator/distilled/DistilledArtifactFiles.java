package io.distillmesh.evaluator.distilled;

import io.distillmesh.core.artifact.ArtifactIntegrityException;
import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.PretrainedPool;
import io.distillmesh.evaluator.checkpoint.ArtifactDirectory;
import io.distillmesh.evaluator.checkpoint.ModelFiles;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distilled-set artifacts ("DMDS" files) and condensed-set artifacts ("DMCS") of the artifact directory, and the pretrained networks a set made for
 * pretrained inits needs: its init spec names them, and each must be a model file in the artifact directory.
 * Every refusal names the file and the problem. Blocking.
 */
public final class DistilledArtifactFiles {
    private DistilledArtifactFiles() {
    }

    public static DistilledArtifact.Stored read(ArtifactDirectory artifacts, String path) {
        Path file = artifacts.requireFile(path, "artifactPath", "distilled-set artifact");
        try {
            return DistilledArtifact.decode(Files.readAllBytes(file));
        } catch (ArtifactIntegrityException e) {
            throw new ArtifactIntegrityException("distilled-set artifact '" + path + "' refused: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + path + "' is not a DMDS distilled-set artifact: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read distilled-set artifact '" + path + "': " + e.getMessage(), e);
        }
    }

    /** A condensed-set artifact ("DMCS" file), verified as {@link #read} verifies a distilled set. */
    public static CondensedArtifact.Stored readCondensed(ArtifactDirectory artifacts, String path) {
        Path file = artifacts.requireFile(path, "artifactPath", "condensed-set artifact");
        try {
            return CondensedArtifact.decode(Files.readAllBytes(file));
        } catch (ArtifactIntegrityException e) {
            throw new ArtifactIntegrityException("condensed-set artifact '" + path + "' refused: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + path + "' is not a DMCS condensed-set artifact: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read condensed-set artifact '" + path + "': " + e.getMessage(), e);
        }
    }

    /** Whether the file at {@code path} begins as a condensed-set artifact does (else it is read as a distilled set). */
    public static boolean isCondensed(ArtifactDirectory artifacts, String path) {
        Path file = artifacts.requireFile(path, "artifactPath", "distilled-set artifact");
        try (InputStream in = Files.newInputStream(file)) {
            return CondensedArtifact.isCondensed(in.readNBytes(4));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read artifact '" + path + "': " + e.getMessage(), e);
        }
    }

    static PretrainedPool pool(DistilledSet set, ArtifactDirectory artifacts) {
        if (set.init().pretrained().isEmpty()) {
            return PretrainedPool.EMPTY;
        }
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (String reference : set.init().pretrained()) {
            Path file;
            try {
                file = artifacts.requireFile(reference, "pretrained model", "pretrained model file");
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the set was distilled for pretrained model '" + reference
                        + "', which the evaluator cannot load: " + e.getMessage(), e);
            }
            params.put(reference, ModelFiles.layerNetwork(file).params());
        }
        return new PretrainedPool(params);
    }
}
