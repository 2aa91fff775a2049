package io.distillmesh.distiller.cli;

import io.distillmesh.core.artifact.CondensedArtifact;
import io.distillmesh.core.condense.Augmentation;
import io.distillmesh.core.artifact.DistilledArtifact;
import io.distillmesh.core.data.FashionMnist;
import io.distillmesh.core.data.LabelledImages;
import io.distillmesh.core.distill.DistilledSet;
import io.distillmesh.core.distill.InitMode;
import io.distillmesh.core.distill.InitSampler;
import io.distillmesh.core.distill.ReplayEvaluator;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line end to end on a tiny setting: artifact, PNG and the comparison it prints. */
class DistillJobTest {

    @Test
    void distilsSavesAndComparesWithTheRandomRealBaseline(@TempDir Path dir) {
        Path artifact = dir.resolve("tiny.dmds");
        String out = run("--network", "mlp", "--hidden", "16", "-M", "1", "-S", "2", "-E", "1", "--init", "random",
                "--models-per-iteration", "2", "--iterations", "3", "--real-batch", "64", "--eval-inits", "2",
                "--baseline-steps", "0.03,0.3", "--baseline-draws", "1", "--validation", "200", "--out", artifact.toString());
        assertTrue(Files.isRegularFile(artifact) && Files.isRegularFile(dir.resolve("tiny.png")), out);
        DistilledArtifact.Stored stored = DistilledArtifact.read(artifact);
        DistilledSet set = stored.set();
        assertTrue(out.contains("SHA-256 " + stored.sha256()), out);
        assertEquals("random", new io.vertx.core.json.JsonObject(stored.provenance().jobSpec()).getString("init"));
        assertEquals(InitMode.RANDOM, set.init().mode());
        assertEquals(2, set.init().modelsPerIteration());
        assertEquals(2, set.stepSizes().length);
        assertTrue(out.contains("s per meta-iteration"), out);
        assertTrue(out.matches("(?s).*mean of each tenth of the run \\[\\d\\.\\d{3} \\d\\.\\d{3} \\d\\.\\d{3}\\].*"), out);
        assertTrue(out.matches("(?s).*distilled: 20 images, learned η, 2 steps\\s+\\d+\\.\\d\\d ± \\d+\\.\\d\\d% \\(n=2\\).*"), out);
        assertTrue(out.matches("(?s).*random real: 20 images, best fixed η=0\\.(03|3)\\s+\\d+\\.\\d\\d ± .*"), out);
    }

    @Test
    void shipsTheSetThatScoredBestOnTheHeldOutImages(@TempDir Path dir) {
        Path artifact = dir.resolve("best.dmds");
        String out = run("--network", "mlp", "--hidden", "16", "-S", "1", "-E", "1", "--init", "fixed",
                "--iterations", "5", "--real-batch", "64", "--keep-best-every", "2", "--no-baseline",
                "--validation", "200", "--out", artifact.toString());
        java.util.regex.Matcher kept = java.util.regex.Pattern.compile("kept the set of meta-iteration (\\d+): (\\d+\\.\\d\\d) %"
                + " on the 200 held-out training images \\(the init\\), the final set (\\d+\\.\\d\\d) % \\(3 checks, every 2"
                + " iterations, \\d+\\.\\d s\\)").matcher(out);
        assertTrue(kept.find(), out);
        assertTrue(List.of("2", "4", "5").contains(kept.group(1)), out);
        DistilledArtifact.Stored stored = DistilledArtifact.read(artifact);
        assertEquals(2, new JsonObject(stored.provenance().jobSpec()).getInteger("keep-best-every"));
        LabelledImages train = FashionMnist.load(FashionMnist.dataDir(null), FashionMnist.Split.TRAIN);
        LabelledImages heldOut = train.slice(train.size() - 200, train.size(), "validation");
        double rescored = new ReplayEvaluator(new InitSampler(stored.set().init(), null), heldOut).trained(stored.set(), 1)[0];
        assertEquals(Double.parseDouble(kept.group(2)), 100 * rescored, 0.0051, "the artifact holds the set that scored best");
    }

    @Test
    void poisonsAModelItPretrained(@TempDir Path dir) {
        String out = run("--network", "mlp", "--hidden", "16", "-S", "1", "-E", "1", "--init", "fixed-pretrained",
                "--pretrain", "1", "--pretrain-limit", "500", "--objective", "poisoning", "--iterations", "2",
                "--real-batch", "64", "--no-baseline", "--validation", "200", "--out", dir.resolve("p.dmds").toString());
        assertTrue(out.contains("class 9 (Ankle boot) classified as 7 (Sneaker):"), out);
        assertTrue(out.contains("class 9 (Ankle boot): accuracy "), out);
        assertTrue(out.contains("gradients by the hand-written backprop, Hessian-vector products exact (R-operator)"), out);
        assertEquals(InitMode.FIXED_PRETRAINED, DistilledArtifact.read(dir.resolve("p.dmds")).set().init().mode());
        assertTrue(DistilledArtifact.read(dir.resolve("p.dmds")).provenance().poisoning());
    }

    @Test
    void condensesByDistributionMatchingAndEvaluatesByTheSetsRecipe(@TempDir Path dir) {
        Path artifact = dir.resolve("dm.dmcs");
        String out = run("--objective", "distribution-matching", "--width", "4", "-M", "2", "--iterations", "4",
                "--real-per-class", "8", "--eval-epochs", "3", "--eval-inits", "2", "--cross", "mlp", "--hidden", "16",
                "--out", artifact.toString());
        assertTrue(Files.isRegularFile(artifact) && Files.isRegularFile(dir.resolve("dm.png")), out);
        CondensedArtifact.Stored stored = CondensedArtifact.read(artifact);
        assertEquals(20, stored.set().size());
        assertEquals("convnet-4-4-4-10", stored.set().network().describe());
        assertEquals(3, stored.set().recipe().epochs());
        assertEquals("distribution-matching", stored.provenance().objective());
        JsonObject job = new JsonObject(stored.provenance().jobSpec());
        assertEquals("convnet", job.getString("network"), "the provenance records the values the run used");
        assertEquals("real", job.getString("image-init"));
        assertEquals(0.1, job.getDouble("image-lr"));
        assertTrue(out.contains("SHA-256 " + stored.sha256()), out);
        assertTrue(out.matches("(?s).*convnet-4-4-4-10 \\d+\\.\\d\\d ± \\d+\\.\\d\\d % \\(2 networks\\).*"), out);
        assertTrue(out.matches("(?s).*mlp-784-16-10 \\d+\\.\\d\\d ± \\d+\\.\\d\\d % \\(2 networks\\).*"), out);
    }

    /** A tiny condensation on ConvNet-3 of 2 blocks, one image a class, evaluated on one network. */
    private static String condenseTiny(String objective, Path artifact, String... options) {
        List<String> args = new ArrayList<>(List.of("--objective", objective, "--width", "3", "--depth", "2",
                "-M", "1", "--iterations", "2", "--real-per-class", "4", "--eval-epochs", "2", "--eval-inits", "1",
                "--cross", "", "--out", artifact.toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    @Test
    void condensesByGradientMatching(@TempDir Path dir) {
        Path artifact = dir.resolve("gm.dmcs");
        String out = condenseTiny("gradient-matching", artifact, "--augment", "crop,rotate,noise");
        CondensedArtifact.Stored stored = CondensedArtifact.read(artifact);
        assertEquals("gradient-matching", stored.provenance().objective());
        assertEquals(Augmentation.parse("crop,rotate,noise"), stored.set().recipe().augmentation());
        assertEquals("crop,rotate,noise", new JsonObject(stored.provenance().jobSpec()).getString("augment"));
        assertTrue(out.contains("by gradient-matching"), out);
        assertTrue(out.matches("(?s).*convnet-3-3-10 \\d+\\.\\d\\d ± \\d+\\.\\d\\d % \\(1 networks\\).*"), out);
    }

    @Test
    void theSetStatesTheEvaluationNetworkAndAugmentationTheJobNamed(@TempDir Path dir) {
        Path artifact = dir.resolve("wide.dmcs");
        String out = condenseTiny("distribution-matching", artifact, "--eval-width", "5", "--eval-augment", "crop,flip");
        CondensedArtifact.Stored stored = CondensedArtifact.read(artifact);
        assertEquals("convnet-5-5-10", stored.set().network().describe(), "trained on the wider ConvNet");
        assertEquals(Augmentation.parse("crop,flip"), stored.set().recipe().augmentation());
        JsonObject job = new JsonObject(stored.provenance().jobSpec());
        assertEquals(3, job.getInteger("width"), "condensed on the narrow one");
        assertEquals("none", job.getString("augment"));
        assertTrue(out.contains("random inits of convnet-3-3-10"), out);
        assertTrue(out.matches("(?s).*convnet-5-5-10 \\d+\\.\\d\\d ± \\d+\\.\\d\\d % \\(1 networks\\).*"), out);
    }

    @Test
    void condensesByMmdMatchingAndRefusesOneRealImageAClass(@TempDir Path dir) {
        Path artifact = dir.resolve("mmd.dmcs");
        String out = condenseTiny("mmd-matching", artifact);
        CondensedArtifact.Stored stored = CondensedArtifact.read(artifact);
        assertEquals("mmd-matching", stored.provenance().objective());
        assertEquals(0.1, new JsonObject(stored.provenance().jobSpec()).getDouble("image-lr"));
        assertTrue(out.contains("by mmd-matching"), out);
        CommandLine cli = new CommandLine(new DistillJob());
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(1, cli.execute("--objective", "mmd-matching", "--real-per-class", "1", "--data-dir", "/nonexistent"));
        assertTrue(err.toString().contains("realPerClass must be at least 2 for mmd-matching"), err.toString());
    }

    @Test
    void distributionMatchingRefusesANetworkOtherThanTheConvNet() {
        CommandLine cli = new CommandLine(new DistillJob());
        java.io.StringWriter err = new java.io.StringWriter();
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(1, cli.execute("--objective", "distribution-matching", "--network", "lenet", "--data-dir", "/nonexistent"));
        assertTrue(err.toString().contains("--network convnet"), err.toString());
        assertEquals(1, cli.execute("--objective", "classification", "--augment", "dsa", "--data-dir", "/nonexistent"));
        assertTrue(err.toString().contains("--augment, --eval-augment and --eval-width apply to"), err.toString());
        assertEquals(1, cli.execute("--objective", "classification", "--eval-width", "64", "--data-dir", "/nonexistent"));
        assertEquals(1, cli.execute("--objective", "gradient-matching", "--depth", "5", "--data-dir", "/nonexistent"));
        assertTrue(err.toString().contains("--depth must be in 1..4"), err.toString());
    }

    @Test
    void tenthsAreTheMeansOfConsecutiveParts() {
        assertEquals("[1.500 3.500 5.500 7.500 9.500 11.500 13.500 15.500 17.500 19.500]",
                DistillJob.tenths(java.util.stream.IntStream.rangeClosed(1, 20).asDoubleStream().toArray()));
        assertEquals("[2.000 4.000]", DistillJob.tenths(new double[]{2, 4}));
    }

    @Test
    void refusesAnUnknownObjective() {
        CommandLine cli = new CommandLine(new DistillJob());
        cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
        assertEquals(1, cli.execute("--objective", "telepathy", "--iterations", "1"));
    }

    @Test
    void refusesAnUnknownHessianVectorProductMethodBeforeLoadingAnything() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cli = new CommandLine(new DistillJob());
        cli.setErr(new java.io.PrintWriter(err));
        assertEquals(1, cli.execute("--hvp", "newton", "--iterations", "1", "--data-dir", "/nonexistent"), err.toString());
        assertTrue(err.toString().contains("unknown Hessian-vector product method 'newton', known: exact, finite-difference"),
                err.toString());
    }

    @Test
    void refusesImpossibleIterationCountsBeforeLoadingAnything() {
        for (String iterations : new String[] {"2147483647", "0"}) {
            java.io.StringWriter err = new java.io.StringWriter();
            CommandLine cli = new CommandLine(new DistillJob());
            cli.setErr(new java.io.PrintWriter(err));
            assertEquals(1, cli.execute("--iterations", iterations, "--data-dir", "/nonexistent"), err.toString());
            assertTrue(err.toString().contains("iterations must be in 1..1000000, got " + iterations), err.toString());
        }
    }

    private static String run(String... args) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int code;
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = new CommandLine(new DistillJob()).execute(args);
        } finally {
            System.setOut(original);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        return out;
    }
}
