package io.distillmesh.core.distill;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ND4J's CPU natives come as one jar per build (plain linux-x86_64, -avx2, -onednn-avx2, ...), each 90+ MB;
 * nd4j-native drags in the plain one beside the chosen classifier. Exactly one may be on the classpath: the images
 * and bin/distill-mesh carry what the tests ran with, and which build is loaded is then not left to chance.
 */
class NativeBackendClasspathTest {
    @Test
    void exactlyOneNd4jNativeBuildIsOnTheClasspath() {
        List<String> natives = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(path -> new File(path).getName())
                .filter(name -> name.matches("nd4j-native-[^-]+-[^-]+-linux-x86_64.*\\.jar")).toList();
        assertEquals(1, natives.size(), "ND4J native builds on the classpath: " + natives);
    }
}
