package io.distillmesh.k8s.mesh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pom reading behind ImageRule and ServiceImagesTest sees what a pom says, including a bound jib. */
class ServiceModulesTest {
    @TempDir
    Path dir;

    @Test
    void aJibBoundToAPhaseIsSeen() throws IOException {
        Files.writeString(dir.resolve("pom.xml"), """
                <project><artifactId>distill-mesh-evaluator</artifactId><build><plugins><plugin>
                  <artifactId>jib-maven-plugin</artifactId>
                  <executions><execution><phase>package</phase><goals><goal>build</goal></goals></execution></executions>
                  <configuration><to><image>ghcr.io/distill-mesh/evaluator</image></to></configuration>
                </plugin></plugins></build></project>
                """);
        ServiceModule m = ServiceModules.read(dir);
        assertEquals("evaluator", m.serviceName());
        assertTrue(m.buildsImage());
        assertTrue(m.jibHasExecutions());
    }

    @Test
    void aModuleWithoutJibBuildsNoImage() throws IOException {
        Files.writeString(dir.resolve("pom.xml"), "<project><artifactId>distill-mesh-standalone</artifactId></project>");
        assertFalse(ServiceModules.read(dir).buildsImage());
    }
}
