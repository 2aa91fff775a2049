package io.distillmesh.evaluator.distilled;

import io.vertx.core.json.JsonObject;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a distilled set was made for, which decides how it is judged: a classification set (or an adaptation set)
 * against real-image baselines; a poisoning set by its attack on class {@code attackClass} (to be taken for
 * {@code targetClass}). Named as the core objectives name themselves: {@code classification},
 * {@code poisoning(9->7)}, {@code adaptation(...)}.
 */
public record DistilledObjective(String name, int attackClass, int targetClass) {
    private static final Pattern POISONING = Pattern.compile("poisoning\\((\\d+)->(\\d+)\\)");
    public static final DistilledObjective CLASSIFICATION = new DistilledObjective("classification", -1, -1);

    boolean poisoning() {
        return attackClass >= 0;
    }

    /**
     * Parses an objective name; for a bare {@code poisoning} the classes come from the job spec's
     * {@code attackClass} and {@code targetClass}.
     */
    public static DistilledObjective parse(String name, JsonObject spec, int classes) {
        if (name == null || name.isBlank()) {
            return CLASSIFICATION;
        }
        if (!name.startsWith("poisoning")) {
            return new DistilledObjective(name, -1, -1);
        }
        int attack;
        int target;
        Matcher m = POISONING.matcher(name);
        if (m.matches()) {
            attack = Integer.parseInt(m.group(1));
            target = Integer.parseInt(m.group(2));
        } else if (name.equals("poisoning") && spec != null && spec.getValue("attackClass") instanceof Number a
                && spec.getValue("targetClass") instanceof Number t) {
            attack = a.intValue();
            target = t.intValue();
        } else {
            throw new IllegalArgumentException("objective '" + name + "' names no attack and target class: expected"
                    + " poisoning(K->T), or poisoning with attackClass and targetClass in the spec");
        }
        if (attack < 0 || attack >= classes || target < 0 || target >= classes || attack == target) {
            throw new IllegalArgumentException("objective '" + name + "': attack and target class must be different"
                    + " classes in 0.." + (classes - 1));
        }
        return new DistilledObjective("poisoning(" + attack + "->" + target + ")", attack, target);
    }
}
