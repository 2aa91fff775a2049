package io.distillmesh.core.distill;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** Switches ND4J's default data types to double for a test class and back to float afterwards. */
final class DoublePrecision {
    private DoublePrecision() {
    }

    static void on() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    static void off() {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    }
}
