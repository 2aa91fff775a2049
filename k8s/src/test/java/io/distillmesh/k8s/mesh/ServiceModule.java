package io.distillmesh.k8s.mesh;

import java.nio.file.Path;

/**
 * A Maven module under services/ as its pom.xml describes it: artifactId and, when it builds an image,
 * the jib-maven-plugin's target image, main class, whether it overrides the parent's jib.skip, and whether it
 * is bound to a build phase (the base image and what every image shares are the parent pom's).
 */
public record ServiceModule(Path dir, String artifactId, String jibImage, String jibMainClass, boolean jibUnskipped,
                            boolean jibHasExecutions) {
    public boolean buildsImage() {
        return jibImage != null;
    }

    /** The main class's source file in the module. */
    public Path mainClassSource() {
        return dir.resolve("src/main/java").resolve(jibMainClass.replace('.', '/') + ".java");
    }

    /** The service name: the artifactId without "distill-mesh-". */
    public String serviceName() {
        return artifactId.startsWith("distill-mesh-") ? artifactId.substring("distill-mesh-".length()) : artifactId;
    }
}
