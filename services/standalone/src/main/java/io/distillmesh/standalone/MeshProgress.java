package io.distillmesh.standalone;

import io.distillmesh.student.StudentTrainingLoop;
import io.distillmesh.teacher.RunStatus;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.List;

/** One console progress bar over the teacher's records and every student's trained samples. */
final class MeshProgress {
    private final RunStatus teacher;
    private final List<StudentTrainingLoop> students;
    private final long total;

    MeshProgress(RunStatus teacher, List<StudentTrainingLoop> students, long samples, long labelled, int epochs) {
        this.teacher = teacher;
        this.students = students;
        long sum = samples;
        for (StudentTrainingLoop s : students) {
            sum += (long) epochs * (s.spec().alpha() > 0 ? samples : labelled);
        }
        this.total = sum;
    }

    void await() throws InterruptedException {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("mesh").setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(120)
                .continuousUpdate().build()) {
            while (!finished()) {
                bar.stepTo(done());
                bar.setExtraMessage(message());
                Thread.sleep(250);
            }
            bar.stepTo(done());
            bar.setExtraMessage(message());
        }
    }

    private boolean finished() {
        if (teacher.state() == RunStatus.State.FAILED) {
            return true;
        }
        for (StudentTrainingLoop s : students) {
            StudentTrainingLoop.State state = s.state();
            if (state == StudentTrainingLoop.State.STARTING || state == StudentTrainingLoop.State.TRAINING) {
                return false;
            }
        }
        return true;
    }

    private long done() {
        long sum = teacher.produced();
        for (StudentTrainingLoop s : students) {
            sum += s.samplesTrained();
        }
        return sum;
    }

    private String message() {
        int minPass = students.stream().mapToInt(StudentTrainingLoop::pass).min().orElse(0);
        int epochs = students.isEmpty() ? 0 : students.get(0).spec().epochs();
        return String.format(" teacher %dk, pass %d/%d", teacher.produced() / 1000,
                Math.min(epochs, minPass + 1), epochs);
    }
}
