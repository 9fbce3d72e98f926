package io.prunestream.core.search;

import io.prunestream.core.cancel.CancellationToken;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.exec.ActivationHook;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.importance.ChannelSite;
import io.prunestream.core.importance.GroupSites;
import io.prunestream.core.model.ModelGraph;
import io.prunestream.core.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * DSA-style differentiable sparsity allocation (after Ning et al., ECCV 2020): learns one keep ratio
 * per prunable channel group under the request's cost budget.
 *
 * <p><b>Formulation.</b> Group {@code g} of {@code n_g} channels has a parameter {@code θ_g} and keep
 * ratio {@code ρ_g = f_g + (1 - f_g) σ(θ_g)}, where {@code f_g = floor_g / n_g} is its floor share.
 * Its channels are ranked by the request's scores (the criterion, L1 by default), best first; channel
 * {@code c} at rank {@code r_c} sits at position {@code p_c = (r_c + ½) / n_g} and gets the soft mask
 * {@code m_c = σ((ρ_g − p_c) / T)}, T the temperature: as T → 0 the mask keeps exactly the best
 * {@code ρ_g n_g} channels. Masks multiply every tensor the group's consumers read (via
 * {@link io.prunestream.core.exec.PackageBlock}'s {@link ActivationHook}), the tensors
 * {@link io.prunestream.core.dependency.ChannelMasking} zeroes, hence surgery's semantics. The group's
 * soft keep share is {@code k_g = mean_c m_c}, and {@link SoftCost} turns the shares into a cost
 * fraction {@code F(k)} consistent with {@link io.prunestream.core.cost.CostModel} (conv MACs scale with
 * in-share × out-share).
 *
 * <p><b>What the paper does and what this does.</b>
 * <ul>
 *   <li>BN runs in training mode, on the masked batch's own statistics, as in the paper's joint
 *       training. With BN on the unmasked network's running statistics the objective is the accuracy of
 *       an uncalibrated cut, which on some models is anti-correlated with what the cut reaches after
 *       recalibration (docs/SEARCH.md); batch statistics are adaptive BN done on every step.</li>
 *   <li>The budget is a constraint handled by the method of multipliers, the ADMM-style update the paper
 *       uses: each step minimises {@code CE + μ (F − t) + (λ/2) max(0, F − t)²} and then raises the
 *       multiplier by dual ascent, {@code μ ← max(0, μ + λ (F − t))}; {@code λ} is
 *       {@link Settings#lambda()}. Over budget μ grows until the cost comes down; under it μ shrinks, so
 *       the ratios are not pushed below the budget for nothing.</li>
 *   <li>Steps are proportional to the gradient, as in the paper's SGD on the ratios: a group whose
 *       ratio matters more to the loss moves further. The step is divided by the gradient's RMS over
 *       groups, so {@link Settings#learningRate()} is the step of a typical group in logit units
 *       whatever the loss's scale. Adam, used before, moved every group by about the learning rate
 *       whatever its gradient, and drove ratios to their bounds.</li>
 *   <li>The weights stay frozen (the paper trains them jointly); fine-tuning after the cut trains them.</li>
 * </ul>
 * θ starts where every group keeps {@code √target}, the uniform ratio for conv-dominated cost. The
 * learned ratios are {@code ρ_g}; they meet the budget only approximately, so {@link RatioProjection}
 * (a common shift, by bisection) makes them meet it exactly before a plan is cut.
 *
 * <p>A step whose gradient is not finite is skipped (see the loop), but {@value #MAX_SKIPPED_IN_A_ROW}
 * such steps in a row (or every step of a shorter run) end the run with a
 * {@link TrainingDivergedException}: ratios that stopped learning must not pass for learnt ones.
 */
public final class DsaTrainer {
    private static final System.Logger LOG = System.getLogger(DsaTrainer.class.getName());
    /**
     * Non-finite steps skipped in a row before the run is declared diverged (or all of them, in a
     * shorter run): enough to ride out a rare bad batch, few enough not to spend a run on nothing.
     */
    static final int MAX_SKIPPED_IN_A_ROW = 10;
    /** The knobs of one run; see the class comment for what each does. */
    public record Settings(int steps, double lambda, double temperature, double learningRate, int batchSize, long seed) {
        public Settings {
            if (steps < 1 || batchSize < 1) {
                throw new IllegalArgumentException("DSA needs at least one step and a positive batch size, got "
                        + steps + " steps of " + batchSize);
            }
            if (!(lambda >= 0) || !(temperature > 0) || !(learningRate > 0)) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "DSA needs lambda >= 0, temperature > 0 "
                        + "and learning rate > 0, got %s, %s, %s", lambda, temperature, learningRate));
            }
        }
    }

    /** Reports every tenth of the run. */
    @FunctionalInterface
    public interface Progress {
        void step(int step, int steps, double crossEntropy, double costFraction);

        Progress NONE = (step, steps, ce, cost) -> { };
    }

    /**
     * The learned keep ratio per group id and the estimated cost fraction they amount to.
     *
     * @param groupNames the name of each group id, for reports
     * @param multiplier the budget's Lagrange multiplier μ at the end
     */
    public record Result(Map<Integer, Double> keepRatios, Map<Integer, String> groupNames, double estimatedFraction,
            double lastCrossEntropy, double multiplier) {
        /** "name 0.62, name 0.48, ..." in group order. */
        public String describeRatios() {
            StringBuilder out = new StringBuilder();
            keepRatios.forEach((id, r) -> out.append(out.length() == 0 ? "" : ", ").append(groupNames.get(id))
                    .append(String.format(Locale.ROOT, " %.2f", r)));
            return out.toString();
        }
    }

    private final Settings settings;
    private final Progress progress;
    private final Loss crossEntropy = Loss.softmaxCrossEntropyLoss();

    public DsaTrainer(Settings settings, Progress progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Learns keep ratios for the request's model, scores and target on {@code data}. */
    public Result train(AllocationRequest request, ImageDataset data) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("DSA needs training images, the dataset is empty");
        }
        ChannelOrder order = new ChannelOrder(request);
        int groups = order.count();
        ModelGraph graph = request.model().graph();
        List<ChannelGroup> prunable = new ArrayList<>();
        float[][] position = new float[groups][];
        double[] floorShare = new double[groups];
        for (int g = 0; g < groups; g++) {
            prunable.add(order.group(g));
            int n = order.size(g);
            position[g] = new float[n];
            for (int rank = 0; rank < n; rank++) {
                position[g][order.channelAt(g, rank)] = (rank + 0.5f) / n;
            }
            floorShare[g] = (double) order.floor(g) / n;
        }
        SoftCost cost = new SoftCost(graph, request.graph(), prunable, request.targetKind());
        Map<String, List<Placement>> sites = placements(graph, prunable);
        double target = request.targetFraction();
        double[] theta = new double[groups];
        for (int g = 0; g < groups; g++) {
            double start = Math.max(floorShare[g] + 1e-3, Math.min(1 - 1e-3, Math.sqrt(target)));
            double s = (start - floorShare[g]) / (1 - floorShare[g]);
            theta[g] = Math.log(s / (1 - s));
        }
        double multiplier = 0;
        double lastCe = Double.NaN;
        double lastCost = Double.NaN;
        int skippedInARow = 0;
        int giveUpAfter = Math.min(MAX_SKIPPED_IN_A_ROW, settings.steps());
        int batchesPerPass = (data.size() + settings.batchSize() - 1) / settings.batchSize();
        try (ModelRunner runner = new ModelRunner(request.model())) {
            Iterator<ImageDataset.Batch> batches = null;
            int pass = 0;
            int batchInPass = 0;
            for (int step = 1; step <= settings.steps(); step++) {
                CancellationToken.checkpoint();
                if (batches == null || !batches.hasNext()) {
                    batches = data.batches(runner.manager(), settings.batchSize(), true, settings.seed() + pass++)
                            .iterator();
                    batchInPass = 0;
                }
                batchInPass++;
                try (ImageDataset.Batch batch = batches.next()) {
                    NDManager m = batch.manager();
                    NDArray thetaArray = m.create(toFloats(theta));
                    thetaArray.setRequiresGradient(true);
                    double[] out;
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray floors = m.create(toFloats(floorShare));
                        NDArray rho = floors.add(floors.neg().add(1).mul(ai.djl.nn.Activation.sigmoid(thetaArray)));
                        List<NDArray> masks = new ArrayList<>();
                        NDList keepShares = new NDList();
                        for (int g = 0; g < groups; g++) {
                            NDArray p = m.create(position[g]);
                            NDArray mask = ai.djl.nn.Activation.sigmoid(
                                    rho.get(g).sub(p).div((float) settings.temperature()));
                            masks.add(mask);
                            keepShares.add(mask.mean().reshape(1));
                        }
                        NDArray keep = ai.djl.ndarray.NDArrays.concat(keepShares);
                        NDArray fraction = cost.fraction(m, keep);
                        ActivationHook hook = maskingHook(m, sites, masks);
                        // Training mode: BN normalises with the masked batch's statistics (see the class comment).
                        NDArray logits = runner.block().forwardNodes(runner.store(), batch.images(), true, hook)
                                .get(graph.spec().output());
                        NDArray ce = crossEntropy.evaluate(new NDList(batch.labels()), new NDList(logits));
                        NDArray gap = fraction.sub((float) target);
                        NDArray over = gap.maximum(0f);
                        NDArray loss = ce.add(gap.mul((float) multiplier))
                                .add(over.mul(over).mul((float) (settings.lambda() / 2)));
                        collector.backward(loss);
                        out = new double[] {ce.getFloat(), fraction.getFloat()};
                    }
                    double[] gradient = toDoubles(thetaArray.getGradient().toFloatArray());
                    // A non-finite gradient (seen rarely on CPU, from the network's forward pass) would turn
                    // every ratio into NaN for good: such a step is skipped, as mixed-precision trainers do.
                    // One bad batch is noise; a run of them means nothing is being learnt any more.
                    if (java.util.Arrays.stream(gradient).allMatch(Double::isFinite)) {
                        proportionalStep(theta, gradient, settings.learningRate());
                        multiplier = Math.max(0, multiplier + settings.lambda() * (out[1] - target));
                        skippedInARow = 0;
                    } else {
                        skippedInARow++;
                        LOG.log(System.Logger.Level.WARNING, "DSA step {0}: non-finite gradient, step skipped", step);
                    }
                    lastCe = out[0];
                    lastCost = out[1];
                    if (skippedInARow == giveUpAfter) {
                        throw new TrainingDivergedException("DSA", pass, batchInPass, batchesPerPass, lastCe,
                                "the keep ratios' gradient was non-finite on " + skippedInARow + " step(s) in a row "
                                + "(each skipped, none applied; cross-entropy at the last one " + lastCe + ")");
                    }
                }
                if (step % Math.max(1, settings.steps() / 10) == 0 || step == settings.steps()) {
                    progress.step(step, settings.steps(), lastCe, lastCost);
                }
            }
        }
        Map<Integer, Double> ratios = new LinkedHashMap<>();
        Map<Integer, String> names = new LinkedHashMap<>();
        double[] hard = new double[groups];
        for (int g = 0; g < groups; g++) {
            double rho = floorShare[g] + (1 - floorShare[g]) / (1 + Math.exp(-theta[g]));
            ratios.put(order.group(g).id(), rho);
            names.put(order.group(g).id(), order.group(g).name());
            hard[g] = rho;
        }
        Result result = new Result(ratios, names, cost.fraction(hard), lastCe, multiplier);
        LOG.log(System.Logger.Level.INFO, "DSA learned keep ratios (estimated cost {0}): {1}",
                String.format(Locale.ROOT, "%.3f", result.estimatedFraction()), result.describeRatios());
        return result;
    }

    /**
     * Where a group's mask multiplies a tensor: {@code scatter} ({@code [n_g, width]}, constant) maps the
     * group's channels onto the tensor's axis 1, {@code span} features per channel on flattened tensors.
     */
    private record Placement(int group, int channels, int width, float[] scatter) {}

    private static Map<String, List<Placement>> placements(ModelGraph graph, List<ChannelGroup> prunable) {
        Map<String, List<Placement>> byTensor = new LinkedHashMap<>();
        for (int g = 0; g < prunable.size(); g++) {
            int n = prunable.get(g).size();
            for (ChannelSite site : GroupSites.consumerInputs(graph, prunable.get(g))) {
                int width = graph.shape(site.tensorId())[0];
                float[] scatter = new float[n * width];
                for (int c = 0; c < n; c++) {
                    int at = site.indexOf(c);
                    for (int s = 0; at >= 0 && s < site.span(); s++) {
                        scatter[c * width + at * site.span() + s] = 1f;
                    }
                }
                byTensor.computeIfAbsent(site.tensorId(), k -> new ArrayList<>()).add(new Placement(g, n, width, scatter));
            }
        }
        return byTensor;
    }

    /** Multiplies each site tensor by {@code 1 − Σ_g (1 − m_g) S_g}; channels of no prunable group stay 1. */
    private static ActivationHook maskingHook(NDManager m, Map<String, List<Placement>> sites, List<NDArray> masks) {
        return (node, out) -> {
            List<Placement> here = sites.get(node.id());
            if (here == null) {
                return out;
            }
            NDArray removed = null;
            for (Placement p : here) {
                NDArray part = masks.get(p.group()).neg().add(1).reshape(1, p.channels())
                        .matMul(m.create(p.scatter(), new Shape(p.channels(), p.width())));
                removed = removed == null ? part : removed.add(part);
            }
            long[] maskShape = new long[out.getShape().dimension()];
            java.util.Arrays.fill(maskShape, 1);
            maskShape[1] = here.get(0).width();
            return out.mul(removed.neg().add(1).reshape(new Shape(maskShape)));
        };
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /**
     * {@code θ ← θ − rate · g / rms(g)}: each group moves in proportion to its own gradient, and the
     * typical group by {@code rate}, whatever the loss's scale.
     */
    static void proportionalStep(double[] theta, double[] gradient, double rate) {
        double squares = 0;
        for (double g : gradient) {
            squares += g * g;
        }
        double rms = Math.sqrt(squares / gradient.length);
        if (rms == 0) {
            return;
        }
        for (int i = 0; i < theta.length; i++) {
            theta[i] -= rate * gradient[i] / rms;
        }
    }
}
