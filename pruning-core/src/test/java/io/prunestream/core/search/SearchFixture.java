package io.prunestream.core.search;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.importance.L1Criterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.util.Map;

/** A zoo model with its graph and L1 scores, as the search strategies start from. */
record SearchFixture(ModelPackage model, DependencyGraph graph, Map<Integer, float[]> scores) {
    static SearchFixture of(String arch) {
        return of(ModelZoo.create(arch, 9));
    }

    static SearchFixture of(ModelPackage model) {
        ScoringContext ctx = ScoringContext.of(model);
        return new SearchFixture(model, ctx.graph(), new L1Criterion().scorePrunableGroups(ctx));
    }

    /** Unrounded, so the counts are the strategies' own; {@code allocation.RoundToTest} covers rounding. */
    AllocationRequest.Builder request(TargetKind kind, double fraction) {
        return AllocationRequest.builder(model, scores).graph(graph).target(kind, fraction)
                .roundTo(ChannelRounding.NONE);
    }

    /** Within each group no removed channel outscores a kept one. */
    void assertKeepsTheHighestScores(PruningPlan plan) {
        plan.kept().forEach((id, kept) -> {
            float[] s = scores.get(id);
            boolean[] isKept = new boolean[s.length];
            float lowestKept = Float.POSITIVE_INFINITY;
            for (int c : kept) {
                isKept[c] = true;
                lowestKept = Math.min(lowestKept, s[c]);
            }
            for (int c = 0; c < s.length; c++) {
                if (!isKept[c]) {
                    assertTrue(s[c] <= lowestKept, "group " + id + ": removed channel " + c + " outscores a kept one");
                }
            }
        });
    }
}
