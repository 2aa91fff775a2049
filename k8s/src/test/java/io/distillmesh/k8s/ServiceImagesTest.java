package io.distillmesh.k8s;

import io.distillmesh.k8s.mesh.MeshServices;
import io.distillmesh.k8s.mesh.ServiceModule;
import io.distillmesh.k8s.mesh.ServiceModules;
import org.junit.jupiter.api.Test;

import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void theGpuServicesCudaProfileSwapsNd4jsBackendAndBuildsOnACudaImage() throws Exception {
        Path pom = ProjectLayout.root().resolve("services").resolve(MeshServices.GPU_SERVICE).resolve("pom.xml");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(pom.toFile());
        XPath xpath = XPathFactory.newInstance().newXPath();
        String profile = "/project/profiles/profile[id='cuda']";
        assertEquals("nd4j-native", xpath.evaluate(profile + "/dependencies/dependency[artifactId='distill-mesh-core']"
                + "/exclusions/exclusion/artifactId", doc), "the profile drops the CPU backend");
        assertEquals("linux-x86_64", xpath.evaluate(profile + "/dependencies/dependency[artifactId='nd4j-cuda-11.6']"
                + "/classifier", doc), "and adds the CUDA backend's natives");
        String jib = profile + "/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration";
        assertEquals(MeshServices.IMAGE_PREFIX + MeshServices.GPU_SERVICE + ":${project.version}" + MeshServices.CUDA_TAG_SUFFIX,
                xpath.evaluate(jib + "/to/image", doc));
        String base = xpath.evaluate(jib + "/from/image", doc);
        if (base.startsWith("${")) {
            base = xpath.evaluate("/project/properties/" + base.substring(2, base.length() - 1), doc);
        }
        assertTrue(base.contains("cuda"), "the GPU image's base carries CUDA: " + base);
        String dockerfile = Files.readString(pom.resolveSibling("cuda-base").resolve("Dockerfile"));
        assertTrue(dockerfile.contains("FROM nvidia/cuda:11.6") && dockerfile.contains(base), "cuda-base/Dockerfile builds " + base);
    }

    @Test
    void jibIsNotBoundToAnyPhase() {
        // CI cannot reach container registries: images are built by hand (mvn -pl services/X jib:build)
        for (ServiceModule m : ServiceModules.withImages()) {
            assertFalse(m.jibHasExecutions(), m.artifactId() + " binds jib to the build");
        }
    }
}
