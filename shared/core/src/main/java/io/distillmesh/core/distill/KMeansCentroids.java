package io.distillmesh.core.distill;

import io.distillmesh.core.data.LabelledImages;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * The k-means centroids of each class's real images, k = S·M (the class's slots in the set), found by seeded
 * k-means++ (Apache Commons Math) on at most {@code sample} images of the class. Largest cluster first, so the
 * layout is deterministic. The same images for every replica.
 */
public final class KMeansCentroids extends SameImagesBaseline {
    public static final String KIND = "k-means";
    private static final int MAX_ITERATIONS = 100;

    public KMeansCentroids(DistillationSchedule schedule, LabelledImages real, int sample, long seed) {
        super(KIND, pixels(schedule, real, sample, seed));
    }

    private static float[] pixels(DistillationSchedule schedule, LabelledImages real, int sample, long seed) {
        if (sample < 1) {
            throw new IllegalArgumentException("k-means needs at least one image per class, got sample " + sample);
        }
        int k = schedule.steps() * schedule.imagesPerClass();
        float[][][] centroids = new float[real.numClasses()][][];
        for (int c = 0; c < centroids.length; c++) {
            centroids[c] = centroids(real, c, k, sample, seed + c);
        }
        return BaselineSet.layOut(schedule, real.features(), (c, index) -> centroids[c][index]);
    }

    /** The {@code k} centroids of class {@code classId}, largest cluster first. */
    public static float[][] centroids(LabelledImages real, int classId, int k, int sample, long seed) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < real.size(); i++) {
            if (real.labels()[i] == classId) {
                ids.add(i);
            }
        }
        if (ids.size() < k) {
            throw new IllegalArgumentException(real.name() + " has " + ids.size() + " images of class " + classId
                    + ", k-means needs at least k = " + k);
        }
        Collections.shuffle(ids, new Random(seed));
        List<DoublePoint> points = new ArrayList<>();
        for (int id : ids.subList(0, Math.min(Math.max(sample, k), ids.size()))) {
            float[] image = real.image(id);
            double[] point = new double[image.length];
            for (int j = 0; j < image.length; j++) {
                point[j] = image[j];
            }
            points.add(new DoublePoint(point));
        }
        JDKRandomGenerator random = new JDKRandomGenerator();
        random.setSeed(seed);
        List<CentroidCluster<DoublePoint>> clusters = new KMeansPlusPlusClusterer<DoublePoint>(k, MAX_ITERATIONS,
                new EuclideanDistance(), random).cluster(points);
        clusters.sort(Comparator.comparingInt((CentroidCluster<DoublePoint> cl) -> -cl.getPoints().size()));
        float[][] out = new float[k][];
        for (int i = 0; i < k; i++) {
            double[] centre = clusters.get(i).getCenter().getPoint();
            out[i] = new float[centre.length];
            for (int j = 0; j < centre.length; j++) {
                out[i][j] = (float) centre[j];
            }
        }
        return out;
    }
}
