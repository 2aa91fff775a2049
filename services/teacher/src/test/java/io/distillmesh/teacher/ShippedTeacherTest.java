package io.distillmesh.teacher;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.fsp.ResidualTeacher;
import io.distillmesh.core.model.ResidualLogits;
import io.distillmesh.core.model.TeacherModel;
import io.distillmesh.core.train.TeacherCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest
    @CsvSource({"teacher-resnet8-bn.zip, 0.93, '1,1,1'", "teacher-resnet14-bn.zip, 0.93, '2,2,2'"})
    void theShippedResidualTeachersReachTheirAccuracyAsTheirCardsSay(String file, double least, String blocks)
            throws Exception {
        Path model = TestModels.DIR.resolve(file);
        TeacherCard card = TeacherCard.read(model);
        ResidualLogits logits = new ResidualLogits(ResidualTeacher.load(model).network());
        double accuracy = Accuracy.of(logits, FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST), 1000);
        assertTrue(accuracy >= least, file + " test accuracy " + accuracy);
        assertEquals(card.testAccuracy(), accuracy, 1e-4, "the card must describe this model");
        assertTrue(card.command().contains("--network resnet --blocks " + blocks) && card.command().contains("--flip"),
                card.command());
    }
}
