package io.distillmesh.k8s;

import io.distillmesh.k8s.invariants.InvariantRule;
import io.distillmesh.k8s.invariants.MeshInvariants;
import io.distillmesh.k8s.invariants.RenderedOverlay;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every invariant holds in every rendered overlay (each pair is its own test). */
class OverlayInvariantsTest {
    @TestFactory
    List<DynamicTest> everyInvariantHoldsInEveryOverlay() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : Overlays.names()) {
            for (InvariantRule rule : MeshInvariants.rules(Overlays.GPUS_ALLOWED.get(name),
                    Overlays.SINGLE_NODE.get(name))) {
                tests.add(DynamicTest.dynamicTest(name + ": " + rule.name(), () -> {
                    RenderedOverlay overlay = Overlays.rendered(name);
                    assertEquals(List.of(), rule.check(overlay), rule.name() + " in " + name);
                }));
            }
        }
        return tests;
    }
}
