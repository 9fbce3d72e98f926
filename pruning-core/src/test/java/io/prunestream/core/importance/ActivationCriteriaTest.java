package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.model.ModelPackage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** APoZ, mean activation and entropy on single-conv networks whose channels are worked out by hand. */
class ActivationCriteriaTest {
    /** Channel 0 is dead (zero filter, negative BN shift), 1 and 2 copy the two input channels. */
    private static ModelPackage deadFirstChannel() {
        ModelPackage pkg = TinyModels.singleConv(new float[][] {{0, 0}, {1, 0}, {0, 1}});
        return TinyModels.withValues(pkg, Map.of("c_bn.beta", new float[] {-1, 0, 0}));
    }

    @Test
    void aChannelAlwaysZeroAfterReluHasApozOneAndScoresZero() {
        ModelPackage pkg = deadFirstChannel();
        float[] s = WeightCriteriaTest.scoreOnlyGroup(new ApozCriterion(), pkg, Samples.randomContext(pkg, 16, 5));
        assertEquals(0f, s[0]);
        // A ReLU of a standard normal is zero half the time.
        assertEquals(0.5, s[1], 0.1);
        assertEquals(0.5, s[2], 0.1);
    }

    @Test
    void meanActivationOfADeadChannelIsZeroAndOfAHalfNormalAboutPoint4() {
        ModelPackage pkg = deadFirstChannel();
        float[] s = WeightCriteriaTest.scoreOnlyGroup(new MeanActivationCriterion(), pkg,
                Samples.randomContext(pkg, 16, 5));
        assertEquals(0f, s[0]);
        // E[max(0, z)] = 1/sqrt(2π) ≈ 0.399 for a standard normal z.
        assertEquals(0.399, s[1], 0.05);
    }

    @Test
    void entropyOfAConstantChannelIsZeroAndOfTwoEqualOutcomesLn2() {
        ModelPackage pkg = TinyModels.singleConv(new float[][] {{1, 0}, {0, 1}, {0, 0}});
        // Channel 0 sees 1 or 3 on half the images each; channel 1 always 2; channel 2 always 0.
        ScoringContext ctx = Samples.context(pkg,
                Samples.constantImages(new float[] {1, 3, 1, 3}, new float[] {2, 2, 2, 2}), 3);
        float[] s = WeightCriteriaTest.scoreOnlyGroup(new EntropyCriterion(), pkg, ctx);
        assertArrayEquals(new float[] {(float) Math.log(2), 0, 0}, s, 1e-6f);
    }

    @Test
    void entropyCountsBinsOverTheSitesRange() {
        ModelPackage pkg = TinyModels.singleConv(new float[][] {{1, 0}, {0, 1}, {0, 0}});
        // Channel 0 takes 0, 1, 2, 3: with 4 bins over [0, 3] each value has its own bin.
        ScoringContext ctx = Samples.context(pkg,
                Samples.constantImages(new float[] {0, 1, 2, 3}, new float[] {2, 2, 2, 2}), 4);
        float[] s = WeightCriteriaTest.scoreOnlyGroup(new EntropyCriterion(4), pkg, ctx);
        assertEquals(Math.log(4), s[0], 1e-6);
        assertThrows(IllegalArgumentException.class, () -> new EntropyCriterion(1));
    }

    @Test
    void aResidualGroupIsMeasuredAfterTheReluThatFollowsTheAdd() {
        float[][] f = {{1, 0}, {0, 1}, {1, 1}};
        ModelPackage pkg = TinyModels.residual(f, f, new float[] {1, 1, 1}, new float[] {1, 1, 1});
        var group = WeightCriteriaTest.onlyPrunableGroup(pkg);
        var sites = GroupSites.activationSites(pkg.graph(), group);
        assertEquals(1, sites.size(), sites.toString());
        String site = sites.get(0).tensorId();
        assertEquals("relu", pkg.graph().node(site).op().key());
        assertEquals("join", pkg.graph().node(site).input());
    }

    @Test
    void scoresDoNotDependOnTheBatchSize() {
        ModelPackage pkg = TinyModels.mixed(4);
        var sample = Samples.random(pkg, 7, 8);
        for (String name : Criteria.names()) {
            ImportanceCriterion c = Criteria.byName(name);
            if (!c.needsData()) {
                continue;
            }
            Map<Integer, float[]> whole = c.scorePrunableGroups(Samples.context(pkg, sample, 7));
            Map<Integer, float[]> inPieces = c.scorePrunableGroups(Samples.context(pkg, sample, 3));
            whole.forEach((g, s) -> assertArrayEquals(s, inPieces.get(g), 1e-5f, name + " group " + g));
        }
    }

    @Test
    void aDataCriterionWithoutDataFailsSayingHowToProvideIt() {
        ModelPackage pkg = deadFirstChannel();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ApozCriterion().scorePrunableGroups(ScoringContext.of(pkg)));
        assertTrue(e.getMessage().contains("'apoz' needs a data sample"), e.getMessage());
        IllegalStateException direct = assertThrows(IllegalStateException.class,
                () -> new ApozCriterion().score(WeightCriteriaTest.onlyPrunableGroup(pkg), ScoringContext.of(pkg)));
        assertTrue(direct.getMessage().contains("calibration(sample, batchSize)"), direct.getMessage());
    }

    @Test
    void aSampleOfTheWrongShapeIsRefused() {
        ModelPackage pkg = deadFirstChannel();
        var wrong = io.prunestream.core.data.RandomImages.gaussian(
                new io.prunestream.core.model.InputSpec(1, 4, 4, 0, 1), 3, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScoringContext.builder(pkg).calibration(wrong, 2));
        assertTrue(e.getMessage().contains("2x4x4"), e.getMessage());
    }
}
