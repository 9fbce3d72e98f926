package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import org.junit.jupiter.api.Test;

class BnScaleCriterionTest {
    @Test
    void scoresAreAbsoluteGammasAveragedOverTheGroupsNorms() {
        float[][] filters = {{1, 0}, {0, 1}, {1, 1}};
        ModelPackage pkg = TinyModels.residual(filters, filters, new float[] {-2, 0.5f, 1}, new float[] {1, -0.5f, -3});
        float[] s = WeightCriteriaTest.scoreOnlyGroup(new BnScaleCriterion(), pkg);
        assertArrayEquals(new float[] {1.5f, 0.5f, 2}, s, 1e-6f);
    }

    @Test
    void aGroupWithoutBatchNormIsRefusedByName() {
        ModelPackage lenet = ModelZoo.create("lenet", 1);
        ScoringContext ctx = ScoringContext.of(lenet);
        ChannelGroup conv1 = ctx.graph().prunableGroups().get(0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BnScaleCriterion().score(conv1, ctx));
        assertTrue(e.getMessage().contains("'conv1'") && e.getMessage().contains("batch-norm"), e.getMessage());
    }
}
