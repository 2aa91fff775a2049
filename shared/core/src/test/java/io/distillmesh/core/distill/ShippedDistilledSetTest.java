package io.distillmesh.core.distill;

import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.eval.Accuracy;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The distilled set shipped in models/ (made by DistillJob with the paper's schedule, docs/BENCHMARKS.md,
 * "Dataset distillation" §2): replayed from its artifact alone, 10 images and 3 learned steps take the fixed LeNet
 * init from chance to at least 72 % on the full Fashion-MNIST test set (issue 14 §1).
 */
class ShippedDistilledSetTest {
    private static final Path SHIPPED = Path.of("../../models/distilled-lenet-10.dmds");

    @Test
    void tenDistilledImagesTrainTheFixedLenetInitToSeventyTwoPercent() {
        DistilledArtifact.Stored stored = DistilledArtifact.read(SHIPPED);
        DistilledSet set = stored.set();
        assertEquals("classification", stored.provenance().objective());
        assertTrue(stored.provenance().jobSpec().contains("\"iterations\":4720"), stored.provenance().jobSpec());
        assertEquals(10, set.schedule().totalImages());
        assertEquals(3, set.schedule().totalSteps());
        LabelledImages test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST);
        InitSampler init = new InitSampler(set.init(), PretrainedPool.EMPTY);
        MultiLayerNetwork untrained = init.newNetwork();
        untrained.setParams(init.evaluation(0));
        double before = Accuracy.of(untrained, test);
        double after = Accuracy.of(DistilledReplay.train(set, PretrainedPool.EMPTY, 0), test);
        assertTrue(before < 0.2, "untrained init " + before);
        assertTrue(after >= 0.72, "after 3 steps on the 10 distilled images: " + after);
    }
}
