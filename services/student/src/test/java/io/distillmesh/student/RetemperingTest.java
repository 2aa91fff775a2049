package io.distillmesh.student;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.loss.SoftAndHardLabels;
import io.distillmesh.core.loss.TemperatureSoftmax;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.train.SoftBatchBuilder;
import io.distillmesh.messaging.records.RunRecordCodec;
import io.distillmesh.messaging.records.SoftTargetRecord;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertTrue;

class RetemperingTest {

    @Test
    void softTargetsRetemperedFromTheWireMatchTheTeachersOwnSoftmaxAtTheStudentsTemperature() {
        LabelledImages test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST).head(500);
        TeacherModel teacher = RunFixture.teacher();
        int[] ids = new int[test.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        INDArray x = test.features(ids);
        INDArray logits = teacher.logits(x);
        for (float teacherT : new float[]{1f, 4f, 20f}) {
            float[][] logProbs = teacher.logProbs(x, teacherT).toFloatMatrix();
            for (double studentT : new double[]{1, 2, 8, 20}) {
                SoftBatchBuilder batch = new SoftBatchBuilder(ids.length, 784, 10, studentT);
                for (int i : ids) {
                    SoftTargetRecord wire = (SoftTargetRecord) RunRecordCodec.decode(RunRecordCodec.encode(
                            new SoftTargetRecord(i, 0, test.labels()[i], teacherT, teacher.id(), test.image(i),
                                    logProbs[i])));
                    batch.add(wire.input(), wire.label(), wire.logProbs(), wire.temperature());
                }
                INDArray soft = SoftAndHardLabels.unpack(batch.build().getLabels(), 10).teacherProbabilities();
                INDArray direct = TemperatureSoftmax.softmax(logits, studentT);
                double maxDiff = soft.sub(direct).amaxNumber().doubleValue();
                assertTrue(maxDiff < 1e-5, "T=" + teacherT + " -> T'=" + studentT + ": max difference " + maxDiff);
            }
        }
    }
}
