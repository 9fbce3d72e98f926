package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both Taylor forms, and the oracle, on a network where one channel is read by nobody. */
class TaylorCriteriaTest {
    /** Channel 1 of group "c" reaches nothing: every filter of "d" has weight 0 for it. */
    private static final ModelPackage UNREAD_CHANNEL = TinyModels.randomNorms(TinyModels.twoConvs(
            new float[][] {{1, -0.5f}, {0.7f, 0.9f}, {-0.4f, 1.2f}},
            new float[][] {{0.8f, 0, -0.6f}, {0.3f, 0, 1.1f}}), new java.util.Random(2));

    private static ChannelGroup group(ScoringContext ctx, String name) {
        return ctx.graph().prunableGroups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aChannelNothingReadsScoresZeroForTaylorAndTheOracle() {
        ScoringContext ctx = Samples.randomContext(UNREAD_CHANNEL, 12, 5);
        ChannelGroup c = group(ctx, "c");
        for (ImportanceCriterion criterion : new ImportanceCriterion[] {new TaylorCriterion(),
                new TaylorWeightCriterion(), new OracleCriterion()}) {
            float[] s = criterion.score(c, ctx);
            assertEquals(0, s[1], 1e-7, criterion.name());
            assertTrue(Math.abs(s[0]) > 1e-5 && Math.abs(s[2]) > 1e-5, criterion.name() + ": " + s[0] + ", " + s[2]);
        }
    }

    @Test
    void activationTaylorIsNormalisedToUnitLengthPerGroup() {
        ScoringContext ctx = Samples.randomContext(UNREAD_CHANNEL, 12, 5);
        for (float[] s : new TaylorCriterion().scorePrunableGroups(ctx).values()) {
            double norm = 0;
            for (float v : s) {
                norm += v * v;
            }
            assertEquals(1, Math.sqrt(norm), 1e-6);
        }
    }

    /** The shortcut through the BN's output equals |Σ γ·∂L/∂γ + β·∂L/∂β| from parameter gradients. */
    @Test
    void weightTaylorOfAConvBnProducerIsThePapersBatchNormForm() {
        ImageDataset sample = Samples.random(UNREAD_CHANNEL, 10, 3);
        ScoringContext ctx = Samples.context(UNREAD_CHANNEL, sample, 4);
        assertMatchesGradients(new TaylorWeightCriterion().score(group(ctx, "d"), ctx),
                parameterTimesGradient(UNREAD_CHANNEL, sample, List.of("d_bn.gamma", "d_bn.beta")));
    }

    /** Without BN the filter is the layer's own row of weights and its bias. */
    @Test
    void weightTaylorOfALinearProducerSumsWeightsAndBiasTimesGradient() {
        ModelPackage lenet = ModelZoo.create("lenet", 4);
        ImageDataset sample = Samples.random(lenet, 6, 3);
        ScoringContext ctx = Samples.context(lenet, sample, 4);
        assertMatchesGradients(new TaylorWeightCriterion().score(group(ctx, "fc1"), ctx),
                parameterTimesGradient(lenet, sample, List.of("fc1.weight", "fc1.bias")));
    }

    private static void assertMatchesGradients(float[] scores, double[] expected) {
        assertEquals(expected.length, scores.length);
        for (int f = 0; f < expected.length; f++) {
            assertEquals(Math.abs(expected[f]), scores[f], 1e-6 + 1e-4 * Math.abs(expected[f]), "channel " + f);
        }
    }

    /**
     * Per slice along axis 0, Σ p·∂L/∂p over the given parameters, with L the mean cross-entropy of the
     * whole sample, from DJL's parameter gradients.
     */
    private static double[] parameterTimesGradient(ModelPackage model, ImageDataset sample, List<String> keys) {
        try (ModelRunner runner = new ModelRunner(model)) {
            List<NDArray> params = keys.stream().map(k -> runner.block().parameter(k).getArray()).toList();
            params.forEach(p -> p.setRequiresGradient(true));
            ImageDataset.Batch batch = sample.batches(runner.manager(), sample.size(), false, 0).iterator().next();
            try (batch; GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = runner.block().forward(runner.store(), new NDList(batch.images()), false)
                        .singletonOrThrow();
                collector.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(batch.labels()),
                        new NDList(logits)));
            }
            double[] out = new double[Math.toIntExact(params.get(0).getShape().get(0))];
            for (NDArray p : params) {
                float[] pg = p.mul(p.getGradient()).toFloatArray();
                int per = pg.length / out.length;
                for (int i = 0; i < pg.length; i++) {
                    out[i / per] += pg[i];
                }
            }
            return out;
        }
    }
}
