package io.distillmesh.evaluator.metrics;

import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.engine.NetworkLogits;
import io.distillmesh.core.eval.Accuracy;
import io.distillmesh.core.specialist.ClassReduction;
import io.distillmesh.core.specialist.SpecialistNetworks;
import io.distillmesh.evaluator.EvaluatorHarness;
import io.distillmesh.evaluator.TinyStudents;
import io.distillmesh.messaging.records.CheckpointRecord;
import io.distillmesh.student.StudentSpec;
import org.deeplearning4j.util.ModelSerializer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The evaluation itself, on the real 10,000 test images, the committed teacher and a real tiny student. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TestSetEvaluatorTest {
    private static LabelledImages test;
    private static TeacherReference teacher;

    @BeforeAll
    static void load() {
        test = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TEST);
        teacher = TeacherReference.compute(TinyStudents.teacher(), test);
    }

    @Test
    void theTeachersAccuracyIsTheOneItsTrainingJobRecordedAndItAgreesWithItself() throws Exception {
        Properties card = new Properties();
        try (Reader r = Files.newBufferedReader(EvaluatorHarness.MODELS.resolve("teacher-cnn.zip.properties"))) {
            card.load(r);
        }
        ClassifierMetrics m = teacher.metrics();
        assertEquals(10_000, m.samples());
        assertEquals(Double.parseDouble(card.getProperty("test.accuracy")), m.accuracy(), 1e-9);
        assertEquals(Accuracy.of(TinyStudents.teacher().network(), test), m.accuracy(), 1e-9);
        assertEquals(1.0, m.teacherAgreement());
        assertEquals(0.0, m.klTeacherSubject());
        double meanPerClass = 0;
        for (double a : m.perClassAccuracy()) {
            meanPerClass += a / 10; // 1,000 test images per class: the mean of the classes is the accuracy
        }
        assertEquals(m.accuracy(), meanPerClass, 1e-9);
    }

    @Test
    void aStudentsAccuracyMatchesCoreAccuracyAndItsAgreementAndKlAreThoseOfALearner(@TempDir Path dir) throws Exception {
        StudentSpec spec = TinyStudents.spec("unit-student", 4.0, 0.9, 1);
        List<CheckpointRecord> checkpoints = TinyStudents.train(spec, 300, dir);
        var student = ModelSerializer.restoreMultiLayerNetwork(new File(checkpoints.get(0).modelPath()), false);
        ClassifierMetrics m = new TestSetEvaluator(test, teacher).evaluate(NetworkLogits.of(student));
        assertEquals(Accuracy.of(student, test), m.accuracy(), 1e-9, "argmax of logits = argmax of the output");
        assertTrue(m.accuracy() > 0.3 && m.accuracy() < teacher.metrics().accuracy(), "accuracy " + m.accuracy());
        assertTrue(m.teacherAgreement() > 0.3 && m.teacherAgreement() < 1, "agreement " + m.teacherAgreement());
        assertTrue(m.klTeacherSubject() > 0.01 && m.crossEntropy() > 0.3, m.toString());
    }

    @Test
    void aSpecialistIsScoredOnItsClassesPlusTheDustbinAgainstTheReducedTeacher() {
        ClassReduction upperBody = new ClassReduction(new int[]{0, 2, 4, 6}, 10);
        MultiLayerNetwork specialist = SpecialistNetworks.fromGeneralist(TinyStudents.teacher().network(), upperBody,
                4.0, 0.9, 1e-3, 1);
        TestSetEvaluator reduced = new TestSetEvaluator(test, teacher).reducedTo(upperBody);
        assertEquals(5, reduced.testSet().numClasses());
        assertEquals(1.0, reduced.teacher().metrics().teacherAgreement(), 1e-9);
        assertTrue(reduced.teacher().metrics().accuracy() > teacher.metrics().accuracy(),
                "merging six classes into one can only help the teacher");
        ClassifierMetrics m = reduced.evaluate(NetworkLogits.of(specialist));
        assertEquals(5, m.perClassAccuracy().length);
        assertTrue(m.accuracy() > 0.6 && m.teacherAgreement() > 0.6, "a specialist cut from the teacher: " + m);
    }
}
