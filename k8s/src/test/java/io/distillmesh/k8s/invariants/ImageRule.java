package io.distillmesh.k8s.invariants;

import io.distillmesh.k8s.mesh.MeshServices;
import io.distillmesh.k8s.mesh.ServiceModule;
import io.distillmesh.k8s.mesh.ServiceModules;
import io.fabric8.kubernetes.api.model.Container;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Image names match the Maven modules: every container runs ghcr.io/distill-mesh/NAME, where services/NAME
 * builds that image with jib (its to.image) and NAME is a service whose configuration is known
 * (MeshServices); the tag is pinned (not empty, not latest). Every module that builds an image is deployed.
 */
public final class ImageRule implements InvariantRule {
    @Override
    public String name() {
        return "images match modules";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        List<ServiceModule> modules = ServiceModules.withImages();
        for (ServiceModule m : modules) {
            String jibName = ImageRef.parse(m.jibImage()).name();
            if (!jibName.equals(MeshServices.IMAGE_PREFIX + m.serviceName())) {
                violations.add(m.dir().getFileName() + "/pom.xml: jib image " + jibName + " is not "
                        + MeshServices.IMAGE_PREFIX + m.serviceName());
            }
        }
        for (Workload w : overlay.workloads()) {
            for (Container c : w.allContainers()) {
                ImageRef image = ImageRef.parse(c.getImage());
                Optional<ServiceModule> module = modules.stream()
                        .filter(m -> ImageRef.parse(m.jibImage()).name().equals(image.name())).findFirst();
                if (module.isEmpty()) {
                    violations.add(w.where(c) + ": image " + image.name() + " is built by no module under services/");
                } else if (MeshServices.byName(module.get().serviceName()).isEmpty()) {
                    violations.add(w.where(c) + ": service " + module.get().serviceName()
                            + " has no configuration contract in MeshServices");
                }
                if (image.digest() == null && (image.tag() == null || image.tag().equals("latest"))) {
                    violations.add(w.where(c) + ": image " + c.getImage() + " is not pinned to a tag or digest");
                }
            }
        }
        for (ServiceModule m : modules) {
            boolean deployed = overlay.workloads().stream().flatMap(w -> w.containers().stream())
                    .anyMatch(c -> ImageRef.parse(c.getImage()).name().equals(ImageRef.parse(m.jibImage()).name()));
            if (!deployed) {
                violations.add("services/" + m.dir().getFileName() + " builds " + m.jibImage() + " but nothing runs it");
            }
        }
        return violations;
    }
}
