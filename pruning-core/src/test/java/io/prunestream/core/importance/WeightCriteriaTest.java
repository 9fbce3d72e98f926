package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.MemberRole;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Tensor;
import io.prunestream.core.zoo.ModelZoo;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class WeightCriteriaTest {
    /** (3,3) beats (-5,0) by L1 (6 vs 5) but loses by L2 (4.24 vs 5), so the two orders differ. */
    private static final float[][] FILTERS = {{3, 3}, {0.5f, 0.5f}, {-5, 0}, {0, 0.1f}, {1, -1}};

    @Test
    void l1ScoresAreFilterL1NormsAndOrderTheFilters() {
        float[] s = scoreOnlyGroup(new L1Criterion(), TinyModels.singleConv(FILTERS));
        assertArrayEquals(new float[] {6, 1, 5, 0.1f, 2}, s, 1e-6f);
        assertArrayEquals(new int[] {3, 1, 4, 2, 0}, ascending(s));
    }

    @Test
    void l2ScoresAreFilterEuclideanNormsAndOrderTheFilters() {
        float[] s = scoreOnlyGroup(new L2Criterion(), TinyModels.singleConv(FILTERS));
        assertArrayEquals(new float[] {(float) Math.sqrt(18), (float) Math.sqrt(0.5), 5, 0.1f, (float) Math.sqrt(2)},
                s, 1e-6f);
        assertArrayEquals(new int[] {3, 1, 4, 0, 2}, ascending(s));
    }

    @Test
    void fpgmScoresTheFilterAtTheMedianLowest() {
        // Points 10, 2, 0, 3, 1 along one direction: the median is 2, at index 1.
        float[] positions = {10, 2, 0, 3, 1};
        float[][] filters = new float[positions.length][];
        for (int i = 0; i < positions.length; i++) {
            filters[i] = new float[] {0.6f * positions[i], 0.8f * positions[i]};
        }
        float[] s = scoreOnlyGroup(new FpgmCriterion(), TinyModels.singleConv(filters));
        // Sum of distances to the others: 34, 12, 16, 13, 13.
        assertArrayEquals(new float[] {34, 12, 16, 13, 13}, s, 1e-5f);
        assertEquals(1, ascending(s)[0], "the median filter goes first");
    }

    @Test
    void aResidualGroupAveragesItsProducers() {
        float[][] a = {{1, 0}, {2, 2}, {0, -3}};
        float[][] b = {{3, 0}, {0, 0}, {-1, 1}};
        ModelPackage pkg = TinyModels.residual(a, b, new float[] {1, 1, 1}, new float[] {1, 1, 1});
        ChannelGroup group = onlyPrunableGroup(pkg);
        assertEquals(2, group.members(MemberRole.PRODUCER).size(), group.describe());
        float[] s = new L1Criterion().score(group, ScoringContext.of(pkg));
        assertArrayEquals(new float[] {(1 + 3) / 2f, (4 + 0) / 2f, (3 + 2) / 2f}, s, 1e-6f);
    }

    @Test
    void aLinearProducerIsScoredByItsRows() {
        ModelPackage lenet = ModelZoo.create("lenet", 3);
        ScoringContext ctx = ScoringContext.of(lenet);
        ChannelGroup fc1 = ctx.graph().prunableGroups().stream().filter(g -> g.name().equals("fc1")).findFirst()
                .orElseThrow();
        Tensor w = lenet.weight("fc1.weight");
        float[] s = new L1Criterion().score(fc1, ctx);
        for (int row = 0; row < w.dim(0); row++) {
            double l1 = 0;
            for (float v : w.slice0(row)) {
                l1 += Math.abs(v);
            }
            assertEquals(l1, s[row], 1e-4, "row " + row);
        }
    }

    static float[] scoreOnlyGroup(ImportanceCriterion criterion, ModelPackage pkg) {
        return scoreOnlyGroup(criterion, pkg, ScoringContext.of(pkg));
    }

    static float[] scoreOnlyGroup(ImportanceCriterion criterion, ModelPackage pkg, ScoringContext context) {
        return criterion.score(onlyPrunableGroup(pkg), context);
    }

    static ChannelGroup onlyPrunableGroup(ModelPackage pkg) {
        var groups = DependencyGraph.of(pkg.graph()).prunableGroups();
        assertEquals(1, groups.size(), "the tiny model has one prunable group");
        return groups.get(0);
    }

    /** Channel indices from lowest to highest score. */
    static int[] ascending(float[] s) {
        return IntStream.range(0, s.length).boxed().sorted((x, y) -> Float.compare(s[x], s[y]))
                .mapToInt(Integer::intValue).toArray();
    }
}
