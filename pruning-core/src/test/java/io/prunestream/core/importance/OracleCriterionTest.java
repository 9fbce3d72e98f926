package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.PruningPlan;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.Evaluator;
import io.prunestream.core.zoo.ModelZoo;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The oracle against the real thing: cut each channel out by surgery and measure the loss. */
class OracleCriterionTest {
    private final Evaluator evaluator = new Evaluator();

    @Test
    void matchesTheLossOfSurgicallyPrunedModelsOnAMixedNet() {
        ModelPackage pkg = TinyModels.mixed(3);
        ImageDataset sample = Samples.random(pkg, 9, 4);
        Map<Integer, double[]> oracle = new OracleCriterion().lossIncreases(Samples.context(pkg, sample, 4));
        ScoringContext ctx = Samples.context(pkg, sample, 4);
        assertEquals(3, ctx.graph().prunableGroups().size(), "stem+b+dw, p and h");
        double base = evaluator.evaluate(pkg, sample).loss();
        for (ChannelGroup g : ctx.graph().prunableGroups()) {
            double[] measured = new double[g.size()];
            for (int c = 0; c < g.size(); c++) {
                measured[c] = lossWithout(pkg, ctx, g, c, sample) - base;
                assertEquals(measured[c], oracle.get(g.id())[c], 2e-5, g.name() + " channel " + c);
            }
            assertEquals(argmin(measured), argmin(oracle.get(g.id())), g.name() + ": least important channel");
        }
    }

    @Test
    void matchesSurgeryOnLeNetWhoseLinearLayersReadAFlattenedMap() {
        ModelPackage pkg = ModelZoo.create("lenet", 6);
        ImageDataset sample = Samples.random(pkg, 6, 5);
        ScoringContext ctx = Samples.context(pkg, sample, 6);
        Map<Integer, double[]> oracle = new OracleCriterion().lossIncreases(ctx);
        double base = evaluator.evaluate(pkg, sample).loss();
        for (ChannelGroup g : ctx.graph().prunableGroups()) {
            // Every channel of the convs, a spread of the 120 and 84 units of the linear layers.
            int step = g.size() > 20 ? 17 : 1;
            for (int c = 0; c < g.size(); c += step) {
                assertEquals(lossWithout(pkg, ctx, g, c, sample) - base, oracle.get(g.id())[c], 2e-5,
                        g.name() + " channel " + c);
            }
        }
    }

    @Test
    void givesTheSameScoresWhateverTheNumberOfChannelsPerPass() {
        ModelPackage pkg = TinyModels.mixed(5);
        ImageDataset sample = Samples.random(pkg, 5, 6);
        Map<Integer, float[]> wide = new OracleCriterion(1000).scorePrunableGroups(Samples.context(pkg, sample, 5));
        Map<Integer, float[]> narrow = new OracleCriterion(4).scorePrunableGroups(Samples.context(pkg, sample, 2));
        wide.forEach((g, s) -> assertArrayEquals(s, narrow.get(g), 1e-6f, "group " + g));
    }

    private double lossWithout(ModelPackage pkg, ScoringContext ctx, ChannelGroup g, int channel, ImageDataset sample) {
        int[] keep = IntStream.range(0, g.size()).filter(i -> i != channel).toArray();
        ModelPackage pruned = ChannelSurgery.apply(pkg, ctx.graph(), new PruningPlan(Map.of(g.id(), keep)));
        return evaluator.evaluate(pruned, sample).loss();
    }

    private static int argmin(double[] v) {
        return IntStream.range(0, v.length).reduce((a, b) -> v[b] < v[a] ? b : a).orElseThrow();
    }
}
