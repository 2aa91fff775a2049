package io.distillmesh.core.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine (layer passes, losses, gradient engines, Hessian-vector products, optimizers) knows no
 * algorithm: no source file under core/engine may use io.distillmesh.core.distill, .condense, .fsp, .specialist or
 * .train, by an import (plain, static or on demand) or a fully qualified name in code. The algorithms use
 * the engine, never the other way round.
 */
class EnginePackageBoundaryTest {
    /** Surefire runs in the module's directory (shared/core). */
    private static final Path ENGINE_SOURCES = Path.of("src/main/java/io/distillmesh/core/engine");
    private static final Pattern ALGORITHM_PACKAGE =
            Pattern.compile("\\bio\\s*\\.\\s*distillmesh\\s*\\.\\s*core\\s*\\.\\s*(distill|condense|fsp|specialist|train)\\b");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void noEngineSourceUsesAnAlgorithmPackage() throws IOException {
        assertTrue(Files.isRegularFile(ENGINE_SOURCES.resolve("LossGradients.java")),
                "engine sources not found under " + ENGINE_SOURCES.toAbsolutePath());
        List<Path> sources;
        try (Stream<Path> files = Files.walk(ENGINE_SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.size() >= 10, "expected the engine's sources, found " + sources);
        List<String> violations = new ArrayList<>();
        for (Path source : sources) {
            violations.addAll(violations(source));
        }
        assertTrue(violations.isEmpty(), "core/engine must not depend on an algorithm package "
                + "(io.distillmesh.core.distill, .condense, .fsp, .specialist, .train):\n  " + String.join("\n  ", violations));
    }

    private static List<String> violations(Path source) throws IOException {
        String code = withoutComments(Files.readString(source, StandardCharsets.UTF_8));
        List<String> found = new ArrayList<>();
        String[] lines = code.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ALGORITHM_PACKAGE.matcher(lines[i]);
            if (m.find()) {
                found.add(ENGINE_SOURCES.relativize(source) + ":" + (i + 1) + ": " + lines[i].strip());
            }
        }
        return found;
    }

    /** Blanks comments out, keeping their line breaks so that line numbers stay right. */
    private static String withoutComments(String source) {
        Matcher m = COMMENT.matcher(source);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group().replaceAll("[^\\n]", " ")));
        }
        m.appendTail(out);
        return out.toString();
    }
}
