package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.MemberRole;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CriteriaTest {
    @Test
    void theRegistryKnowsEveryCriterionByItsName() {
        assertEquals(List.of("l1", "l2", "fpgm", "bn-scale", "random", "nisp", "apoz", "mean-activation", "entropy",
                "taylor", "taylor-weight", "oracle"), Criteria.names());
        for (String name : Criteria.names()) {
            assertEquals(name, Criteria.byName(name).name());
        }
        assertEquals("fpgm", Criteria.byName(" FPGM ").name());
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Criteria.byName("hrank"));
        assertTrue(e.getMessage().contains("'hrank'") && e.getMessage().contains("l1, l2, fpgm, bn-scale, random, nisp, "
                + "apoz, mean-activation, entropy, taylor, taylor-weight, oracle"), e.getMessage());
    }

    /** Criteria that need no data; {@link DataCriteriaZooTest} covers the others. */
    static Stream<Arguments> criteriaAndArchitectures() {
        return Criteria.names().stream().filter(c -> !Criteria.byName(c).needsData())
                .flatMap(c -> ModelZoo.ARCHITECTURES.stream().map(a -> Arguments.of(c, a)));
    }

    /** One finite score per channel of every prunable group; BN scale refuses groups without BN, by name. */
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("criteriaAndArchitectures")
    void everyCriterionScoresEveryPrunableGroupOfEveryZooModel(String criterionName, String arch) {
        ImportanceCriterion criterion = Criteria.byName(criterionName);
        ScoringContext ctx = ScoringContext.builder(ModelZoo.create(arch, 5)).seed(11).build();
        assertFalse(ctx.graph().prunableGroups().isEmpty());
        for (ChannelGroup group : ctx.graph().prunableGroups()) {
            if (criterion instanceof BnScaleCriterion && group.members(MemberRole.NORM).isEmpty()) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> criterion.score(group, ctx));
                assertTrue(e.getMessage().contains("'" + group.name() + "'"), e.getMessage());
                continue;
            }
            float[] s = criterion.score(group, ctx);
            assertEquals(group.size(), s.length, arch + " group " + group.name());
            for (float v : s) {
                assertTrue(Float.isFinite(v), arch + " group " + group.name() + ": " + v);
            }
        }
    }

    @Test
    void scoringAllGroupsKeysThemByGroupId() {
        ScoringContext ctx = ScoringContext.of(ModelZoo.create("mobilenetv2-small", 2));
        Map<Integer, float[]> scores = new L2Criterion().scorePrunableGroups(ctx);
        assertEquals(ctx.graph().prunableGroups().size(), scores.size());
        for (ChannelGroup g : ctx.graph().prunableGroups()) {
            assertEquals(g.size(), scores.get(g.id()).length, g.name());
        }
    }

    @Test
    void aCriterionThatNeedsDataIsRefusedWithoutIt() {
        ImportanceCriterion needsData = new ImportanceCriterion() {
            @Override
            public String name() {
                return "activations";
            }

            @Override
            public float[] score(ChannelGroup group, ScoringContext context) {
                return new float[group.size()];
            }

            @Override
            public boolean needsData() {
                return true;
            }
        };
        ScoringContext ctx = ScoringContext.of(ModelZoo.create("lenet", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> needsData.scorePrunableGroups(ctx));
        assertTrue(e.getMessage().contains("'activations' needs a data sample"), e.getMessage());
    }

    @Test
    void aContextRefusesTheGraphOfAnotherModel() {
        ModelPackage lenet = ModelZoo.create("lenet", 1);
        DependencyGraph other = DependencyGraph.of(ModelZoo.create("vgg-small", 1).graph());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScoringContext.builder(lenet).graph(other));
        assertTrue(e.getMessage().contains("belongs to model 'vgg-small'"), e.getMessage());
        // A graph built separately from the same spec is accepted.
        ScoringContext.builder(lenet).graph(DependencyGraph.of(io.prunestream.core.model.ModelGraph.of(lenet.spec())))
                .build();
    }
}
