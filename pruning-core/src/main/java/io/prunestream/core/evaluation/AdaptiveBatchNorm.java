package io.prunestream.core.evaluation;

import io.prunestream.core.cancel.CancellationToken;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import io.prunestream.core.model.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * EagleEye's adaptive batch-norm: after pruning, the BN running statistics describe channels that
 * no longer see the inputs they were measured on, so a candidate is judged only after its statistics
 * are recomputed on a few training batches. Weights are not touched: forward passes run in training
 * mode (BN normalises with batch statistics) outside any gradient collector, so no optimiser step
 * happens. Two variants:
 * <ul>
 *   <li>{@link Mode#EMA}: the exponential moving average started from the original statistics (as
 *       sliced by surgery), with each BN node's own momentum (0.1 in PyTorch's convention), updated in
 *       place by the engine;</li>
 *   <li>{@link Mode#CUMULATIVE}: the statistics are reset and replaced by the exact mean and (unbiased)
 *       variance of every value each BN saw over all batches. DJL's BatchNorm has no cumulative mode
 *       (PyTorch's {@code momentum=None}), so the values are gathered from each BN's input.</li>
 * </ul>
 */
public final class AdaptiveBatchNorm {
    public static final int DEFAULT_BATCHES = 50;
    public static final int DEFAULT_BATCH_SIZE = 64;

    public enum Mode { EMA, CUMULATIVE }

    private final int batches;
    private final int batchSize;
    private final Mode mode;

    public AdaptiveBatchNorm(int batches, int batchSize, Mode mode) {
        if (batches <= 0 || batchSize <= 0) {
            throw new IllegalArgumentException("adaptive BN needs a positive batch count and batch size, got "
                    + batches + " batches of " + batchSize);
        }
        this.batches = batches;
        this.batchSize = batchSize;
        this.mode = java.util.Objects.requireNonNull(mode, "mode");
    }

    public AdaptiveBatchNorm(int batches, int batchSize) {
        this(batches, batchSize, Mode.EMA);
    }

    public AdaptiveBatchNorm() {
        this(DEFAULT_BATCHES, DEFAULT_BATCH_SIZE);
    }

    /** The package with recalibrated BN statistics; every other tensor is byte-identical. */
    public ModelPackage recalibrate(ModelPackage model, ImageDataset calibration, long seed) {
        if (calibration.size() == 0) {
            throw new IllegalArgumentException("adaptive BN needs calibration images, the dataset is empty");
        }
        try (ModelRunner runner = new ModelRunner(model)) {
            Map<String, Moments> moments = new HashMap<>();
            List<NodeSpec> norms = model.spec().nodes().stream().filter(n -> n.op() == Op.BATCHNORM).toList();
            int seen = 0;
            // Cycle over the data with a new shuffle per pass when it holds fewer batches than asked.
            for (int pass = 0; seen < batches; pass++) {
                for (ImageDataset.Batch batch : calibration.batches(runner.manager(), batchSize, true, seed + pass)) {
                    try (batch) {
                        CancellationToken.checkpoint();
                        if (seen < batches) {
                            if (mode == Mode.EMA) {
                                runner.block().forward(runner.store(), new NDList(batch.images()), true);
                            } else {
                                gatherMoments(runner, batch.images(), norms, moments);
                            }
                            seen++;
                        }
                    }
                }
            }
            return mode == Mode.EMA ? runner.block().toPackage() : withMoments(model, norms, moments);
        }
    }

    private static void gatherMoments(ModelRunner runner, NDArray images, List<NodeSpec> norms,
            Map<String, Moments> moments) {
        runner.block().forwardNodes(runner.store(), images, true, (node, out) -> {
            for (NodeSpec bn : norms) {
                if (bn.input().equals(node.id())) {
                    moments.computeIfAbsent(bn.id(), k -> new Moments((int) out.getShape().get(1))).add(out);
                }
            }
            return out;
        });
    }

    private static ModelPackage withMoments(ModelPackage model, List<NodeSpec> norms, Map<String, Moments> moments) {
        Map<String, Tensor> weights = model.copyWeights();
        for (NodeSpec bn : norms) {
            Moments m = moments.get(bn.id());
            float[] mean = weights.get(bn.id() + ".running_mean").data();
            float[] var = weights.get(bn.id() + ".running_var").data();
            for (int c = 0; c < mean.length; c++) {
                mean[c] = (float) m.mean(c);
                var[c] = (float) m.variance(c);
            }
        }
        return new ModelPackage(model.spec(), weights);
    }

    public int batches() {
        return batches;
    }

    /** Per-channel count, sum and sum of squares in double precision, over every batch and position. */
    private static final class Moments {
        private final double[] sum;
        private final double[] squares;
        private long count;

        Moments(int channels) {
            sum = new double[channels];
            squares = new double[channels];
        }

        void add(NDArray x) {
            long[] s = x.getShape().getShape();
            // One row per channel: (C, N*H*W); the engine reduces one axis at a time.
            NDArray rows = x.transpose(1, 0, 2, 3).reshape(s[1], -1);
            float[] sums = rows.sum(new int[] {1}).toFloatArray();
            float[] sq = rows.square().sum(new int[] {1}).toFloatArray();
            for (int c = 0; c < sum.length; c++) {
                sum[c] += sums[c];
                squares[c] += sq[c];
            }
            count += s[0] * s[2] * s[3];
        }

        double mean(int c) {
            return sum[c] / count;
        }

        /** Unbiased, as BN's running variance is in PyTorch. */
        double variance(int c) {
            double m = mean(c);
            return Math.max(0, (squares[c] - count * m * m) / Math.max(1, count - 1));
        }
    }
}
