package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.model.ModelPackage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NISP on a two-conv network small enough to propagate by hand. */
class NispCriterionTest {
    /**
     * fc (3 classes × 2 features) = [[1, -2], [3, 0.5], [0, 1]]: each logit has importance 1, so the
     * pooled features get the column sums of |fc| = [4, 3.5], unchanged back to d's ReLU. d's BN has
     * |γ|/sqrt(var+eps) = [2/1, 1/2], so d's output gets [8, 1.75], and c's ReLU gets
     * |d|ᵀ [8, 1.75] with d = [[1, 0, -1], [2, 1, 0]]: [1·8 + 2·1.75, 1·1.75, 1·8] = [11.5, 1.75, 8].
     */
    private static final ModelPackage NET = TinyModels.withValues(
            TinyModels.twoConvs(new float[][] {{1, 0}, {0, 1}, {1, 1}}, new float[][] {{1, 0, -1}, {2, 1, 0}}),
            Map.of("fc.weight", new float[] {1, -2, 3, 0.5f, 0, 1},
                    "d_bn.gamma", new float[] {2, -1},
                    "d_bn.running_var", new float[] {1 - 1e-5f, 4 - 1e-5f}));

    @Test
    void propagatedImportanceEqualsTheHandComputedValues() {
        Map<String, double[]> importance = NeuronImportance.propagate(NET);
        String cRelu = NET.graph().consumers("c_bn").get(0);
        String dRelu = NET.graph().consumers("d_bn").get(0);
        assertArrayEquals(new double[] {4, 3.5}, importance.get(dRelu), 1e-9);
        assertArrayEquals(new double[] {8, 1.75}, importance.get("d"), 1e-5);
        assertArrayEquals(new double[] {11.5, 1.75, 8}, importance.get(cRelu), 1e-5);
    }

    @Test
    void scoresAreTheImportancesRelativeToTheGroupsStrongestChannel() {
        ScoringContext ctx = ScoringContext.of(NET);
        Map<Integer, float[]> scores = new NispCriterion().scorePrunableGroups(ctx);
        for (ChannelGroup g : ctx.graph().prunableGroups()) {
            float[] expected = g.name().equals("c") ? new float[] {1, 1.75f / 11.5f, 8 / 11.5f}
                    : new float[] {1, 3.5f / 4};
            assertArrayEquals(expected, scores.get(g.id()), 1e-5f, g.name());
        }
        assertFalse(new NispCriterion().needsData(), "NISP starts from the logits, not from data");
    }
}
