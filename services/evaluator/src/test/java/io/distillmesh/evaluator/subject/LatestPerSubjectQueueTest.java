package io.distillmesh.evaluator.subject;

import io.distillmesh.evaluator.checkpoint.ArtifactDirectory;
import io.distillmesh.messaging.records.CheckpointRecord;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class LatestPerSubjectQueueTest {
    private static final ArtifactDirectory ARTIFACTS = new ArtifactDirectory(Path.of("/artifacts"));

    private static StudentCheckpointSubject checkpoint(String student, long samples) {
        return StudentCheckpointSubject.from(new CheckpointRecord(student, "run", student + "/ckpt-" + samples
                + "/model.zip", 0, 1, samples, samples, 0.5, new JsonObject()), ARTIFACTS);
    }

    @Test
    void aNewerCheckpointOfTheSameStudentSupersedesTheWaitingOneAndKeepsItsPlace() {
        LatestPerSubjectQueue queue = new LatestPerSubjectQueue();
        StudentCheckpointSubject a1 = checkpoint("a", 100);
        StudentCheckpointSubject b1 = checkpoint("b", 100);
        StudentCheckpointSubject a2 = checkpoint("a", 200);
        StudentCheckpointSubject a3 = checkpoint("a", 300);
        assertNull(queue.offer(a1));
        assertNull(queue.offer(b1));
        assertSame(a1, queue.offer(a2));
        assertSame(a2, queue.offer(a3));
        assertEquals(2, queue.size());
        assertSame(a3, queue.poll(), "student a arrived first; only its newest checkpoint is left");
        assertSame(b1, queue.poll());
        assertNull(queue.poll());
    }

    @Test
    void requestsForDifferentFilesAreAllKeptAndARepeatedRequestReplacesItself() {
        LatestPerSubjectQueue queue = new LatestPerSubjectQueue();
        queue.offer(new ModelFileSubject("a", "x/model.zip", ARTIFACTS));
        queue.offer(new ModelFileSubject("a", "y/model.zip", ARTIFACTS));
        queue.offer(checkpoint("a", 100));
        queue.offer(new ModelFileSubject("a", "x/model.zip", ARTIFACTS));
        assertEquals(3, queue.size());
    }
}
