package io.distillmesh.core.distill;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.LossGradients;
import io.distillmesh.core.model.ModelSpec;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PoisoningObjectiveTest {

    @Test
    void metaLossIsCrossEntropyOnDataWhoseAttackClassIsRelabelledAsTheTarget() {
        LabelledImages real = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(60);
        int attack = 9;   // ankle boot
        int target = 7;   // sneaker
        RealBatches batches = new RealBatches(real, 60, 4);
        PoisoningObjective poisoning = new PoisoningObjective(batches, attack, target);
        MetaBatch poisoned = poisoning.metaBatch(0);
        MetaBatch clean = new ClassificationObjective(batches).metaBatch(0);
        int[] ids = batches.ids(0);
        int attacked = 0;
        for (int i = 0; i < ids.length; i++) {
            int label = real.labels()[ids[i]];
            int expected = label == attack ? target : label;
            attacked += label == attack ? 1 : 0;
            assertEquals(expected, poisoned.targets().getRow(i).argMax().getInt(0), "row " + i + " of class " + label);
            assertEquals(1.0, poisoned.targets().getRow(i).sumNumber().doubleValue(), 1e-9);
        }
        assertTrue(attacked > 0, "the batch should contain the attack class");
        assertEquals(clean.features(), poisoned.features());

        // the loss the distiller minimises: mean cross-entropy against the relabelled targets
        InitSampler init = new InitSampler(InitSpec.fixed(ModelSpec.mlp(1, 16), 2), null);
        LossGradients gradients = new LossGradients(init.newNetwork());
        INDArray theta = init.draws(0).get(0);
        double loss = gradients.scored(theta, poisoned.features(), poisoned.targets()).loss();
        gradients.network().setParams(theta);
        INDArray p = gradients.network().output(poisoned.features());
        double manual = 0;
        for (int i = 0; i < ids.length; i++) {
            manual -= Math.log(p.getDouble(i, poisoning.poisonedLabel(real.labels()[ids[i]])));
        }
        manual /= ids.length;
        assertEquals(manual, loss, 1e-5);
        double cleanLoss = gradients.scored(theta, clean.features(), clean.targets()).loss();
        assertTrue(Math.abs(cleanLoss - loss) > 1e-4, "the poisoned and the clean loss must differ");
    }
}
