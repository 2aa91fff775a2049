package io.distillmesh.core.fsp;

import io.distillmesh.core.engine.TrainingStep;
import io.distillmesh.core.model.ResNetSpec;
import io.distillmesh.core.model.ResidualNetworks;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage 1 of FSP training (Yim et al. 2017): the student's residual body up to its last FSP layer, with one
 * {@link FspLoss} head per layer pair (the two feature maps merged along channels, flattened). Training it moves
 * the student's FSP matrices towards the teacher's; {@link #transferTo} then hands the learned weights, by layer
 * name, to the full student classifier for stage 2.
 */
public final class FspStudentGraph {
    private final ResNetSpec spec;
    private final List<FspPair> pairs;
    private final ComputationGraph graph;
    private final TrainingStep training;

    public FspStudentGraph(ResNetSpec spec, List<FspPair> pairs, double lambda) {
        if (pairs == null || pairs.isEmpty()) {
            throw new IllegalArgumentException("FSP needs at least one layer pair");
        }
        this.spec = spec;
        this.pairs = List.copyOf(pairs);
        int stages = stagesNeeded(spec, pairs);
        ComputationGraphConfiguration.GraphBuilder builder = ResidualNetworks.body(spec, stages);
        String[] outputs = new String[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            FspPair pair = pairs.get(i);
            long[] first = ResidualNetworks.featureShape(spec, pair.first());
            long[] second = ResidualNetworks.featureShape(spec, pair.second());
            long side = first[1];
            outputs[i] = "fsp" + i;
            builder.addVertex(outputs[i] + "_merge", new MergeVertex(), pair.first(), pair.second());
            builder.addLayer(outputs[i], new LossLayer.Builder(new FspLoss(lambda, (int) first[0], (int) second[0],
                            (int) (side * side))).activation(Activation.IDENTITY).build(),
                    new CnnToFeedForwardPreProcessor(side, side, first[0] + second[0]), outputs[i] + "_merge");
        }
        builder.setOutputs(outputs);
        this.graph = new ComputationGraph(builder.build());
        graph.init();
        this.training = TrainingStep.of(graph, "FSP stage 1 of " + spec.describe());
    }

    /**
     * Checks that every pair names two feature maps of {@code spec}'s body with the same spatial size; returns how
     * many stages the pairs reach into.
     */
    public static int stagesNeeded(ResNetSpec spec, List<FspPair> pairs) {
        int stages = 1;
        for (FspPair pair : pairs) {
            long[] first = ResidualNetworks.featureShape(spec, pair.first());
            long[] second = ResidualNetworks.featureShape(spec, pair.second());
            if (first[1] != second[1]) {
                throw new IllegalArgumentException("FSP pair " + pair + " joins feature maps of different sizes ("
                        + first[1] + "x" + first[1] + " and " + second[1] + "x" + second[1] + ")");
            }
            stages = Math.max(stages, Math.max(ResidualNetworks.stageOf(pair.first()),
                    ResidualNetworks.stageOf(pair.second())));
        }
        return stages;
    }

    public List<FspPair> pairs() {
        return pairs;
    }

    public ComputationGraph graph() {
        return graph;
    }

    /**
     * One optimizer step towards the teacher's matrices (one {@code [n, c1, c2]} array per pair), by the engine where
     * it covers the graph; the mean FSP loss.
     */
    public double fit(INDArray inputs, List<INDArray> teacherMatrices) {
        MultiDataSet batch = batch(inputs, teacherMatrices, DataType.FLOAT);
        return training.step(batch.getFeatures(0), batch.getLabels());
    }

    /** How stage 1 trains: {@link TrainingStep#ENGINE_GRAPH}, or DL4J's fit with the reason. */
    public String trainingPath() {
        return training.path();
    }

    /** The FSP loss of the current student on a batch, without training. */
    public double loss(INDArray inputs, List<INDArray> teacherMatrices) {
        return graph.score(batch(inputs, teacherMatrices, DataType.FLOAT), false);
    }

    /** Copies every layer's weights into the layer of the same name in {@code classifier} (same spec). */
    public void transferTo(ComputationGraph classifier) {
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (layer.numParams() == 0 || name.startsWith("fsp")) {
                continue;
            }
            Layer target = classifier.getLayer(name);
            if (target == null || target.numParams() != layer.numParams()) {
                throw new IllegalArgumentException("the classifier has no layer '" + name + "' with "
                        + layer.numParams() + " parameters: it is not a " + spec.describe());
            }
            target.setParams(layer.params().dup());
        }
    }

    MultiDataSet batch(INDArray inputs, List<INDArray> teacherMatrices, DataType dataType) {
        if (teacherMatrices.size() != pairs.size()) {
            throw new IllegalArgumentException("expected teacher matrices for " + pairs.size() + " pairs, got "
                    + teacherMatrices.size());
        }
        List<INDArray> labels = new ArrayList<>();
        for (INDArray g : teacherMatrices) {
            labels.add(g.reshape('c', g.size(0), g.length() / g.size(0)).castTo(dataType));
        }
        return new MultiDataSet(new INDArray[]{inputs.castTo(dataType)}, labels.toArray(INDArray[]::new));
    }
}
