package io.distillmesh.k8s;

import io.distillmesh.k8s.mesh.MeshServices;
import io.distillmesh.k8s.mesh.ServiceModule;
import io.distillmesh.k8s.mesh.ServiceModules;
import org.junit.jupiter.api.Test;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
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
            assertTrue(m.jibUnskipped(), m.artifactId() + " does not override the parent's jib.skip: bin/build-images would skip it");
            assertTrue(Files.isRegularFile(m.mainClassSource()), m.mainClassSource() + " is missing");
        }
    }

    @Test
    void everyImageBuildsOnTheProjectsOwnBaseWithTheSharedHardening() throws Exception {
        Path pom = ProjectLayout.root().resolve("pom.xml");
        Document doc = parse(pom);
        XPath xpath = XPathFactory.newInstance().newXPath();
        String jib = "/project/build/pluginManagement/plugins/plugin[artifactId='jib-maven-plugin']/configuration";
        assertEquals("${dm.image.base}", xpath.evaluate(jib + "/from/image", doc));
        assertEquals("tar://${project.basedir}/../../deploy/images/target/jre-base.tar",
                xpath.evaluate("/project/properties/dm.image.base", doc), "the base that deploy/images/build-base.sh saves");
        assertTrue(Files.readString(ProjectLayout.root().resolve("deploy/images/build-base.sh"))
                .contains("$DM_IMAGES_DIR/target/jre-base.tar"), "build-base.sh saves the base where jib reads it");
        assertEquals("true", xpath.evaluate("/project/properties/jib.skip", doc), "only modules that ask build an image");
        assertEquals("1000:1000", xpath.evaluate(jib + "/container/user", doc), "non-root");
        NodeList flagNodes = (NodeList) xpath.evaluate(jib + "/container/jvmFlags/jvmFlag", doc, XPathConstants.NODESET);
        StringBuilder flags = new StringBuilder();
        for (int i = 0; i < flagNodes.getLength(); i++) {
            flags.append(flagNodes.item(i).getTextContent().trim()).append(' ');
        }
        for (String flag : List.of("-Djava.io.tmpdir=/tmp", "-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp",
                "-Dvertx.cacheDirBase=/tmp/vertx-cache")) {
            assertTrue(flags.toString().contains(flag), "the read-only root needs " + flag + " (jvmFlags: " + flags + ")");
        }
    }

    @Test
    void theGpuServicesCudaProfileSwapsNd4jsBackendAndBuildsOnACudaImage() throws Exception {
        Path pom = ProjectLayout.root().resolve("services").resolve(MeshServices.GPU_SERVICE).resolve("pom.xml");
        Document doc = parse(pom);
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
        // images are built by bin/build-images (and pushed by jib:build), never by mvn verify
        for (ServiceModule m : ServiceModules.withImages()) {
            assertFalse(m.jibHasExecutions(), m.artifactId() + " binds jib to the build");
        }
    }

    private static Document parse(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }
}
