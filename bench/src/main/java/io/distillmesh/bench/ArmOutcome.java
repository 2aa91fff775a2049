package io.distillmesh.bench;

/** The result of training one arm with one seed; {@code trainAccuracy} is NaN where it was not measured. */
record ArmOutcome(StudentArm arm, long seed, double testAccuracy, double trainAccuracy, long steps, double seconds) {
}
