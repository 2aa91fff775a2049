package io.distillmesh.k8s.invariants;

import java.util.List;

/** One property every rendered overlay must have; check returns the violations, each saying where. */
public interface InvariantRule {
    String name();

    List<String> check(RenderedOverlay overlay);
}
