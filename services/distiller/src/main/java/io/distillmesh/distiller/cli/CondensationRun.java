package io.distillmesh.distiller.cli;

import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.artifact.ImageGrid;
import io.distillmesh.core.artifact.Provenance;
import io.distillmesh.core.condense.CondensationSettings;
import io.distillmesh.core.condense.CondensedSet;
import io.distillmesh.core.condense.Condensation;
import io.distillmesh.core.condense.SetEvaluation;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.model.ModelSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The {@code distill} command's condensation objectives (distribution, MMD and gradient matching): condenses with a
 * progress bar, writes the set as a condensed-set artifact with its provenance and a PNG, and evaluates it as the papers do,
 * on K fresh networks of each architecture trained by the set's recipe.
 */
final class CondensationRun {
    private final PrintWriter console;

    CondensationRun(PrintWriter console) {
        this.console = console;
    }

    /** Condenses on {@code settings.network()}; the set states {@code trainedOn} as the network to train on it. */
    void run(String objective, LabelledImages train, LabelledImages test, CondensationSettings settings,
             ModelSpec trainedOn, List<ModelSpec> evaluated, int networks, Path artifact, String jobSpecJson) {
        console.printf("condensing %d images per class by %s with random inits of %s, %d iterations, %d real images "
                        + "per class each, image SGD lr %s momentum %s, images from %s; evaluation: %s%n",
                settings.imagesPerClass(), objective, settings.network().describe(), settings.iterations(),
                settings.realPerClass(), settings.learningRate(), settings.momentum(),
                settings.start().name().toLowerCase(), settings.recipe().describe());
        long start = System.nanoTime();
        CondensedSet set;
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("condense " + settings.network().describe())
                .setInitialMax(settings.iterations()).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .showSpeed().continuousUpdate().build()) {
            set = Condensation.of(objective, train, settings).run((done, total, loss) -> {
                bar.stepTo(done);
                bar.setExtraMessage(String.format(" matching loss %.3f", loss));
            }, () -> false);
        }
        set = set.withNetwork(trainedOn);
        double seconds = (System.nanoTime() - start) / 1e9;
        Provenance provenance = Provenance.of("distiller (distill command)", objective, jobSpecJson);
        String sha256 = CondensedArtifact.write(set, provenance, artifact);
        Path png = artifact.resolveSibling(artifact.getFileName().toString().replaceFirst("\\.[^.]*$", "") + ".png");
        ImageGrid.write(set, png, 2);
        console.printf("condensed in %.0f s (%.3f s per iteration); wrote %s (SHA-256 %s; provenance: %s) and %s%n",
                seconds, seconds / settings.iterations(), artifact, sha256, provenance.describe(), png);
        console.printf("%nFashion-MNIST test accuracy (10,000 images) of networks trained on the %d condensed images "
                + "(%s):%n", set.size(), set.recipe().describe());
        for (ModelSpec network : evaluated) {
            console.printf("  %s%n", SetEvaluation.of(set, network, networks, test).describe());
            console.flush();
        }
    }
}
