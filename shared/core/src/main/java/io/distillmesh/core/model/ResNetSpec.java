package io.distillmesh.core.model;

import java.util.Arrays;

/**
 * A small residual network for 28x28x1 inputs (Yim et al. 2017, after He et al. 2016): a 3x3 stem convolution,
 * then stages of basic blocks (two 3x3 convolutions and an identity or 1x1-projection shortcut), each stage after
 * the first halving the spatial size, then global average pooling and a linear output layer. Teacher and student
 * differ in {@code blocksPerStage} and share {@code widths}, so their stage-boundary feature maps, and hence FSP
 * matrices, have the same shapes. A stem stride of 2 halves every stage's side (14, 7, 4 instead of 28, 14, 7):
 * four times less convolution work, for slow machines. With {@code batchNorm} every convolution is followed by
 * batch normalisation (He et al.'s arrangement). The optimizer is Adam at {@code learningRate}, or with
 * {@code momentum} > 0 SGD with Nesterov momentum; {@code l2} > 0 adds L2 regularisation of the weights (what
 * PyTorch's SGD calls weight decay).
 */
public record ResNetSpec(int[] blocksPerStage, int[] widths, int stemStride, double learningRate, long seed,
                         int numClasses, boolean batchNorm, double momentum, double l2) {
    public ResNetSpec {
        if (blocksPerStage == null || widths == null || blocksPerStage.length == 0
                || blocksPerStage.length != widths.length) {
            throw new IllegalArgumentException("need one block count per stage width, got blocks "
                    + Arrays.toString(blocksPerStage) + " and widths " + Arrays.toString(widths));
        }
        if (blocksPerStage.length > 3) {
            throw new IllegalArgumentException("28x28 inputs allow at most 3 stages (28, 14, 7), got "
                    + blocksPerStage.length);
        }
        if (Arrays.stream(blocksPerStage).anyMatch(b -> b < 1) || Arrays.stream(widths).anyMatch(w -> w < 1)) {
            throw new IllegalArgumentException("block counts and widths must be positive, got blocks "
                    + Arrays.toString(blocksPerStage) + " and widths " + Arrays.toString(widths));
        }
        if (stemStride != 1 && stemStride != 2) {
            throw new IllegalArgumentException("stem stride must be 1 or 2, got " + stemStride);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("need at least 2 classes, got " + numClasses);
        }
        if (!(momentum >= 0 && momentum < 1) || !(l2 >= 0)) {
            throw new IllegalArgumentException("momentum must be in [0, 1) and l2 ≥ 0, got " + momentum + " and " + l2);
        }
        blocksPerStage = blocksPerStage.clone();
        widths = widths.clone();
    }

    /** Without batch normalisation, trained by Adam without regularisation. */
    public ResNetSpec(int[] blocksPerStage, int[] widths, int stemStride, double learningRate, long seed,
                      int numClasses) {
        this(blocksPerStage, widths, stemStride, learningRate, seed, numClasses, false, 0, 0);
    }

    /** {@code resnet(blocks, widths)} with Adam at 1e-3 and 10 classes. */
    public static ResNetSpec of(long seed, int[] blocksPerStage, int[] widths) {
        return new ResNetSpec(blocksPerStage, widths, 1, 1e-3, seed, 10);
    }

    public int stages() {
        return widths.length;
    }

    /** Weighted layers: the stem, two convolutions per block, and the output layer (ResNet-8 has one block per stage). */
    public int depth() {
        return 2 + 2 * Arrays.stream(blocksPerStage).sum();
    }

    public ResNetSpec withSeed(long newSeed) {
        return new ResNetSpec(blocksPerStage, widths, stemStride, learningRate, newSeed, numClasses, batchNorm,
                momentum, l2);
    }

    public ResNetSpec withLearningRate(double lr) {
        return new ResNetSpec(blocksPerStage, widths, stemStride, lr, seed, numClasses, batchNorm, momentum, l2);
    }

    public ResNetSpec withStemStride(int stride) {
        return new ResNetSpec(blocksPerStage, widths, stride, learningRate, seed, numClasses, batchNorm, momentum, l2);
    }

    /** The same network with batch normalisation after every convolution. */
    public ResNetSpec withBatchNorm() {
        return new ResNetSpec(blocksPerStage, widths, stemStride, learningRate, seed, numClasses, true, momentum, l2);
    }

    /** Trained by SGD with Nesterov momentum {@code mu} and L2 regularisation {@code weightL2} instead of Adam. */
    public ResNetSpec withNesterovs(double mu, double weightL2) {
        return new ResNetSpec(blocksPerStage, widths, stemStride, learningRate, seed, numClasses, batchNorm, mu,
                weightL2);
    }

    /** The side length of stage k's feature maps (Same padding: each stride-2 step rounds up). */
    public int side(int stage) {
        int side = stemStride == 2 ? 14 : 28;
        for (int k = 2; k <= stage; k++) {
            side = (side + 1) / 2;
        }
        return side;
    }

    /** For example {@code resnet8-16-32-64}, with {@code -bn} for batch normalisation and {@code /2} for a stride-2 stem. */
    public String describe() {
        StringBuilder sb = new StringBuilder("resnet").append(depth());
        for (int w : widths) {
            sb.append('-').append(w);
        }
        if (batchNorm) {
            sb.append("-bn");
        }
        return stemStride == 2 ? sb.append("/2").toString() : sb.toString();
    }

    @Override
    public int[] blocksPerStage() {
        return blocksPerStage.clone();
    }

    @Override
    public int[] widths() {
        return widths.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResNetSpec s && Arrays.equals(s.blocksPerStage, blocksPerStage)
                && Arrays.equals(s.widths, widths) && s.stemStride == stemStride && s.learningRate == learningRate && s.seed == seed
                && s.numClasses == numClasses && s.batchNorm == batchNorm && s.momentum == momentum && s.l2 == l2;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blocksPerStage) * 31 + Arrays.hashCode(widths) + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return describe() + "(blocks=" + Arrays.toString(blocksPerStage) + ", lr=" + learningRate
                + (momentum > 0 ? ", nesterov momentum=" + momentum : "") + (l2 > 0 ? ", l2=" + l2 : "")
                + ", seed=" + seed + ")";
    }
}
