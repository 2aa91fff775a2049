package io.distillmesh.core.fsp;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ChannelPermutationTest {
    @Test
    void permutedMatricesAreThoseOfATeacherWithItsChannelsRenamed() {
        Nd4j.getRandom().setSeed(3);
        INDArray first = Nd4j.rand(DataType.DOUBLE, 2, 5, 3, 3);
        INDArray second = Nd4j.rand(DataType.DOUBLE, 2, 5, 3, 3);
        ChannelPermutation permutation = new ChannelPermutation(7);
        FspPair pair = new FspPair("s2b0_conv1", "stage2");
        int[] pi = permutation.permutation(2, 5);
        assertFalse(Arrays.equals(pi, new int[]{0, 1, 2, 3, 4}), "a real shuffle");
        long[] order = Arrays.stream(pi).asLongStream().toArray();
        INDArray renamedFirst = first.get(NDArrayIndex.all(), NDArrayIndex.indices(order)).dup();
        INDArray renamedSecond = second.get(NDArrayIndex.all(), NDArrayIndex.indices(order)).dup();
        INDArray expected = FspMatrix.compute(renamedFirst, renamedSecond);
        INDArray actual = permutation.apply(FspMatrix.compute(first, second), pair);
        assertArrayEquals(expected.data().asDouble(), actual.data().asDouble(), 1e-12);
    }
}
