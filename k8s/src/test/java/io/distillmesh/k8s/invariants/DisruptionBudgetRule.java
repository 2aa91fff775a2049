package io.distillmesh.k8s.invariants;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.util.ArrayList;
import java.util.List;

/**
 * Every workload's pods are covered by exactly one PodDisruptionBudget (the eviction API refuses pods with
 * two), and every PodDisruptionBudget covers some workload.
 */
public final class DisruptionBudgetRule implements InvariantRule {
    @Override
    public String name() {
        return "pod disruption budgets";
    }

    @Override
    public List<String> check(RenderedOverlay overlay) {
        List<String> violations = new ArrayList<>();
        List<PodDisruptionBudget> budgets = overlay.all(PodDisruptionBudget.class);
        for (Workload w : overlay.workloads()) {
            List<String> covering = budgets.stream().filter(b -> Selectors.matches(b.getSpec().getSelector(), w.podLabels()))
                    .map(b -> b.getMetadata().getName()).toList();
            if (covering.size() != 1) {
                violations.add(w.kind() + "/" + w.name() + ": covered by " + covering.size()
                        + " PodDisruptionBudgets " + covering + ", not exactly one");
            }
        }
        for (PodDisruptionBudget b : budgets) {
            if (Selectors.isEmpty(b.getSpec().getSelector())) {
                violations.add("PodDisruptionBudget/" + b.getMetadata().getName() + ": empty selector (every pod)");
            } else if (overlay.workloads().stream().noneMatch(w -> Selectors.matches(b.getSpec().getSelector(), w.podLabels()))) {
                violations.add("PodDisruptionBudget/" + b.getMetadata().getName() + ": covers no workload");
            }
        }
        return violations;
    }
}
