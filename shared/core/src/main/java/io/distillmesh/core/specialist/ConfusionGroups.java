package io.distillmesh.core.specialist;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Groups of classes a generalist confuses (Hinton et al. 2015, section 5): the covariance matrix of its predicted
 * distributions over held-out data, whose columns are clustered with K-means; classes that are often predicted
 * together have similar columns. Groups of one class are dropped: a specialist needs at least two.
 */
public final class ConfusionGroups {
    private static final int RESTARTS = 20;
    private static final int ITERATIONS = 100;

    private ConfusionGroups() {
    }

    /** The K×K covariance of the predicted distributions {@code [n][K]}. */
    public static double[][] covariance(float[][] predictions) {
        if (predictions.length < 2) {
            throw new IllegalArgumentException("need at least 2 predictions, got " + predictions.length);
        }
        int k = predictions[0].length;
        double[] mean = new double[k];
        for (float[] p : predictions) {
            for (int i = 0; i < k; i++) {
                mean[i] += p[i];
            }
        }
        for (int i = 0; i < k; i++) {
            mean[i] /= predictions.length;
        }
        double[][] cov = new double[k][k];
        for (float[] p : predictions) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    cov[i][j] += (p[i] - mean[i]) * (p[j] - mean[j]);
                }
            }
        }
        for (double[] row : cov) {
            for (int j = 0; j < k; j++) {
                row[j] /= predictions.length - 1;
            }
        }
        return cov;
    }

    /**
     * K-means with {@code clusters} centres on the covariance columns (best of several seeded restarts by
     * within-cluster sum of squares); the groups of two or more classes, each sorted, largest first.
     */
    public static List<int[]> find(float[][] predictions, int clusters, long seed) {
        double[][] cov = covariance(predictions);
        int k = cov.length;
        if (clusters < 1 || clusters > k) {
            throw new IllegalArgumentException("clusters must be in [1, " + k + "], got " + clusters);
        }
        Random rnd = new Random(seed);
        int[] best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int restart = 0; restart < RESTARTS; restart++) {
            int[] assignment = kMeans(cov, clusters, rnd);
            double cost = cost(cov, assignment, clusters);
            if (cost < bestCost) {
                bestCost = cost;
                best = assignment;
            }
        }
        int[] chosen = best;
        List<int[]> groups = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            int cluster = c;
            int[] members = IntStream.range(0, k).filter(i -> chosen[i] == cluster).toArray();
            if (members.length >= 2) {
                groups.add(members);
            }
        }
        groups.sort((a, b) -> b.length != a.length ? b.length - a.length : a[0] - b[0]);
        return groups;
    }

    /**
     * The {@code count} pairs of classes most often mistaken for each other, the mistakes of both directions added
     * ({@code predicted[i]} for true class {@code labels[i]}), most confused first; pairs never confused are left out.
     */
    public static List<int[]> mostConfusedPairs(int[] predicted, int[] labels, int classes, int count) {
        if (predicted.length != labels.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + labels.length + " labels");
        }
        int[][] mistakes = new int[classes][classes];
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] != labels[i]) {
                mistakes[Math.min(predicted[i], labels[i])][Math.max(predicted[i], labels[i])]++;
            }
        }
        List<int[]> pairs = new ArrayList<>();
        for (int a = 0; a < classes; a++) {
            for (int b = a + 1; b < classes; b++) {
                if (mistakes[a][b] > 0) {
                    pairs.add(new int[]{a, b});
                }
            }
        }
        pairs.sort(Comparator.comparingInt(pair -> -mistakes[pair[0]][pair[1]])); // stable: ties stay in class order
        return pairs.subList(0, Math.min(count, pairs.size()));
    }

    private static int[] kMeans(double[][] points, int clusters, Random rnd) {
        int k = points.length;
        double[][] centres = new double[clusters][];
        int[] order = new int[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        for (int i = k - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int c = 0; c < clusters; c++) {
            centres[c] = points[order[c]].clone();
        }
        int[] assignment = new int[k];
        Arrays.fill(assignment, -1);
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            boolean changed = false;
            for (int i = 0; i < k; i++) {
                int nearest = 0;
                for (int c = 1; c < clusters; c++) {
                    if (distance(points[i], centres[c]) < distance(points[i], centres[nearest])) {
                        nearest = c;
                    }
                }
                changed |= assignment[i] != nearest;
                assignment[i] = nearest;
            }
            if (!changed) {
                break;
            }
            for (int c = 0; c < clusters; c++) {
                double[] sum = new double[k];
                int count = 0;
                for (int i = 0; i < k; i++) {
                    if (assignment[i] == c) {
                        count++;
                        for (int d = 0; d < k; d++) {
                            sum[d] += points[i][d];
                        }
                    }
                }
                if (count > 0) {
                    for (int d = 0; d < k; d++) {
                        sum[d] /= count;
                    }
                    centres[c] = sum;
                }
            }
        }
        return assignment;
    }

    private static double cost(double[][] points, int[] assignment, int clusters) {
        double total = 0;
        for (int c = 0; c < clusters; c++) {
            double[] centre = new double[points.length];
            int count = 0;
            for (int i = 0; i < points.length; i++) {
                if (assignment[i] == c) {
                    count++;
                    for (int d = 0; d < centre.length; d++) {
                        centre[d] += points[i][d];
                    }
                }
            }
            for (int i = 0; i < points.length; i++) {
                if (assignment[i] == c) {
                    double[] scaled = centre.clone();
                    for (int d = 0; d < scaled.length; d++) {
                        scaled[d] /= count;
                    }
                    total += distance(points[i], scaled);
                }
            }
        }
        return total;
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return s;
    }
}
