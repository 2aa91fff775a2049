package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The evaluator reads what the students and the distiller write. A student writes its checkpoints under DM_CHECKPOINT_DIR/ID and
 * announces their absolute paths on dm.checkpoints; the evaluator opens only files inside DM_ARTIFACTS_DIR
 * (ArtifactDirectory). So a student's DM_CHECKPOINT_DIR is the mount path of a PersistentVolumeClaim, mounted
 * read-write (checkpoints outlive the pod); an evaluator's DM_ARTIFACTS_DIR is the mount path of a claim, mounted
 * read-only; and where an evaluator is deployed, every student's claim, sub-path and mount path are its. The
 * distiller writes its artifacts into DM_ARTIFACTS_DIR and announces their absolute paths on dm.distilled: that
 * directory lies inside a claim mounted read-write, and where an evaluator is deployed, inside the evaluator's. A claim
 * that pods of more than one workload mount must be ReadWriteMany, or ReadWriteOnce in an overlay that runs on
 * one node (ReadWriteOnce binds a volume to one node, not to one pod), and never ReadWriteOncePod.
 */
public final class ArtifactsRule implements InvariantRule {
    private final boolean singleNode;

    /** singleNode: whether the overlay is made for a one-node cluster (dev), where ReadWriteOnce may be shared. */
    public ArtifactsRule(boolean singleNode) {
        this.singleNode = singleNode;
    }

    /** Where a directory lies: a claim, the sub-path of it that is mounted, and the mount path. */
    record Location(String claim, String subPath, String mountPath) {
        @Override
        public String toString() {
            return "claim " + claim + (subPath.isEmpty() ? "" : " sub-path " + subPath) + " at " + mountPath;
        }
    }

    @Override
    public String name() {
        return singleNode ? "the evaluator reads the students' checkpoints (one node)"
                : "the evaluator reads the students' checkpoints";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        Map<String, Location> written = new TreeMap<>();
        Map<String, Location> distilled = new TreeMap<>();
        List<Location> read = new ArrayList<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.serviceContainers()) {
                String service = Workload.serviceName(c).orElse("");
                if (service.equals("student")) {
                    location(w, c, "DM_CHECKPOINT_DIR", false, overlay, violations).ifPresent(l -> written.put(w.where(c), l));
                } else if (service.equals("evaluator")) {
                    location(w, c, "DM_ARTIFACTS_DIR", true, overlay, violations).ifPresent(read::add);
                } else if (service.equals("distiller")) {
                    enclosingMount(w, c, "DM_ARTIFACTS_DIR", overlay, violations).ifPresent(l -> distilled.put(w.where(c), l));
                }
            }
        }
        if (!read.isEmpty()) {
            written.forEach((where, location) -> {
                if (!read.contains(location)) {
                    violations.add(where + ": writes checkpoints to " + location + ", where no evaluator reads them"
                            + " (the evaluator reads " + read + ")");
                }
            });
        }
        if (!read.isEmpty()) {
            distilled.forEach((where, location) -> {
                if (!read.contains(location)) {
                    violations.add(where + ": writes distilled sets inside " + location + ", where no evaluator reads them"
                            + " (the evaluator reads " + read + ")");
                }
            });
        }
        sharedClaims(overlay, violations);
        return violations;
    }

    /** The read-write claim mount a directory lies in (at or below its mount path). */
    private static Optional<Location> enclosingMount(Workload w, Container c, String variable, RenderedOverlay overlay,
                                                     List<String> violations) {
        String dir = new ContainerEnv(c, overlay).value(variable).map(Workload::stripSlash).orElse(null);
        VolumeMount mount = dir == null ? null : Workload.mountHolding(c, dir).orElse(null);
        Volume volume = mount == null ? null : w.volume(mount.getName()).orElse(null);
        if (volume == null || volume.getPersistentVolumeClaim() == null) {
            violations.add(w.where(c) + ": " + variable + " " + dir + " lies in no PersistentVolumeClaim mount");
            return Optional.empty();
        }
        if (Boolean.TRUE.equals(mount.getReadOnly())) {
            violations.add(w.where(c) + ": " + variable + " " + dir + " must be mounted read-write");
        }
        String subPath = mount.getSubPath() == null ? "" : mount.getSubPath();
        return Optional.of(new Location(volume.getPersistentVolumeClaim().getClaimName(), subPath,
                Workload.stripSlash(mount.getMountPath())));
    }

    private static Optional<Location> location(Workload w, Container c, String variable, boolean readOnly,
                                               RenderedOverlay overlay, List<String> violations) {
        String where = w.where(c);
        String dir = new ContainerEnv(c, overlay).value(variable).orElse(null);
        VolumeMount mount = dir == null ? null : c.getVolumeMounts().stream()
                .filter(m -> Workload.stripSlash(m.getMountPath()).equals(Workload.stripSlash(dir))).findFirst().orElse(null);
        Volume volume = mount == null ? null : w.volume(mount.getName()).orElse(null);
        if (volume == null || volume.getPersistentVolumeClaim() == null) {
            violations.add(where + ": " + variable + " " + dir + " is not the mount path of a PersistentVolumeClaim");
            return Optional.empty();
        }
        if (readOnly != Boolean.TRUE.equals(mount.getReadOnly())) {
            violations.add(where + ": " + variable + " " + dir + " must be mounted " + (readOnly ? "read-only" : "read-write"));
        }
        String subPath = mount.getSubPath() == null ? "" : mount.getSubPath();
        return Optional.of(new Location(volume.getPersistentVolumeClaim().getClaimName(), subPath, Workload.stripSlash(dir)));
    }

    private void sharedClaims(RenderedOverlay overlay, List<String> violations) {
        Map<String, Set<String>> mountedBy = new TreeMap<>();
        for (Workload w : overlay.workloads()) {
            for (Container c : w.allContainers()) {
                for (VolumeMount m : c.getVolumeMounts()) {
                    Volume v = w.volume(m.getName()).orElse(null);
                    if (v != null && v.getPersistentVolumeClaim() != null) {
                        mountedBy.computeIfAbsent(v.getPersistentVolumeClaim().getClaimName(), k -> new TreeSet<>())
                                .add(w.kind() + "/" + w.name());
                    }
                }
            }
        }
        mountedBy.forEach((claim, workloads) -> {
            Optional<PersistentVolumeClaim> pvc = overlay.named(PersistentVolumeClaim.class, claim);
            if (pvc.isEmpty()) {
                violations.add("PersistentVolumeClaim/" + claim + " (mounted by " + workloads + ") is not in the overlay");
                return;
            }
            List<String> modes = pvc.get().getSpec().getAccessModes() == null ? List.of() : pvc.get().getSpec().getAccessModes();
            if (workloads.size() < 2) {
                return;
            }
            if (modes.contains("ReadWriteOncePod")) {
                violations.add("PersistentVolumeClaim/" + claim + ": ReadWriteOncePod, but mounted by " + workloads);
            } else if (!modes.contains("ReadWriteMany") && !(singleNode && modes.contains("ReadWriteOnce"))) {
                violations.add("PersistentVolumeClaim/" + claim + ": mounted by " + workloads + ", which may run on different"
                        + " nodes, but its access modes are " + modes + ", not ReadWriteMany");
            }
        });
    }
}
