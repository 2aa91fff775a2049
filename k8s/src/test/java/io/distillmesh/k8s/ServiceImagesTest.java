package io.distillmesh.k8s;

import io.distillmesh.k8s.mesh.MeshServices;
import io.distillmesh.k8s.mesh.ServiceModule;
import io.distillmesh.k8s.mesh.ServiceModules;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The jib configuration of the service modules: one image per service, built only when asked for. */
class ServiceImagesTest {
    @Test
    void everyServiceWithAConfigContractBuildsAnImage() {
        List<String> withImages = ServiceModules.withImages().stream().map(ServiceModule::serviceName).toList();
        MeshServices.all().forEach(s -> assertTrue(withImages.contains(s.name()), s.name() + " builds no image"));
    }

    @Test
    void imagesAreNamedForTheirModulesAndRunTheirMainClass() {
        for (ServiceModule m : ServiceModules.withImages()) {
            assertEquals(MeshServices.IMAGE_PREFIX + m.serviceName() + ":${project.version}", m.jibImage());
            assertEquals("eclipse-temurin:17-jre", m.jibBaseImage(), m.artifactId());
            assertTrue(Files.isRegularFile(m.mainClassSource()), m.mainClassSource() + " is missing");
        }
    }

    @Test
    void jibIsNotBoundToAnyPhase() {
        // CI cannot reach container registries: images are built by hand (mvn -pl services/X jib:build)
        for (ServiceModule m : ServiceModules.withImages()) {
            assertFalse(m.jibHasExecutions(), m.artifactId() + " binds jib to the build");
        }
    }
}
