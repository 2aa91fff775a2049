package io.distillmesh.teacher;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.model.ResidualLogits;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.train.TeacherCard;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShippedTeacherTest {

    @Test
    void theShippedTeacherReachesNinetyPercentOnTheRealTestSetAsItsCardSays() throws Exception {
        Path model = TestModels.DIR.resolve("teacher-cnn.zip");
        TeacherCard card = TeacherCard.read(model);
        double accuracy = Accuracy.of(TeacherModel.load(model).network(),
                FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST));
        assertTrue(accuracy >= 0.90, "teacher test accuracy " + accuracy);
        assertEquals(card.testAccuracy(), accuracy, 1e-4, "the card must describe this model");
    }

    @Test
    void theShippedResidualTeacherReachesNinetyThreePercentAsItsCardSays() throws Exception {
        Path model = TestModels.DIR.resolve("teacher-resnet8-bn.zip");
        TeacherCard card = TeacherCard.read(model);
        ResidualLogits logits = new ResidualLogits(ResidualTeacher.load(model).network());
        double accuracy = Accuracy.of(logits, FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST), 1000);
        assertTrue(accuracy >= 0.93, "residual teacher test accuracy " + accuracy);
        assertEquals(card.testAccuracy(), accuracy, 1e-4, "the card must describe this model");
        assertTrue(card.command().contains("--network resnet") && card.command().contains("--flip"), card.command());
    }
}
