package io.distillmesh.k8s;

import io.distillmesh.k8s.invariants.RenderedOverlay;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The overlays under k8s/overlays and whether each may use GPUs, rendered once per test run. */
public final class Overlays {
    /** overlay name -> GPUs allowed (dev: CPU only; prod: the GPU distiller, when it lands). */
    public static final Map<String, Boolean> GPUS_ALLOWED = Map.of("dev", false, "prod", true);
    /** overlay name -> made for a one-node cluster (dev: its shared volume is ReadWriteOnce; prod: ReadWriteMany). */
    public static final Map<String, Boolean> SINGLE_NODE = Map.of("dev", true, "prod", false);
    private static final Map<String, RenderedOverlay> CACHE = new ConcurrentHashMap<>();

    private Overlays() {
    }

    public static List<String> names() {
        return GPUS_ALLOWED.keySet().stream().sorted().toList();
    }

    public static RenderedOverlay rendered(String name) {
        return CACHE.computeIfAbsent(name, n -> RenderedOverlay.render(n, ProjectLayout.overlay(n)));
    }
}
