package io.prunestream.core.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.ChannelOrder;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.train.TrainingDivergedException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DsaTest {
    /** The differentiable estimate is CostModel's count wherever the ratios are whole channel counts. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lenet", "resnet20", "mobilenetv2-small", "inception-small"})
    void softCostEqualsTheCostModelAtHardRatios(String arch) {
        SearchFixture s = SearchFixture.of(arch);
        AllocationResult eagle = new EagleEyeAllocator().allocate(s.request(TargetKind.FLOPS, 0.5).seed(3).build());
        ChannelOrder order = new ChannelOrder(s.request(TargetKind.FLOPS, 0.5).build());
        List<ChannelGroup> groups = new ArrayList<>();
        double[] keep = new double[order.count()];
        for (int g = 0; g < order.count(); g++) {
            ChannelGroup group = order.group(g);
            groups.add(group);
            keep[g] = eagle.plan().touches(group.id()) ? (double) eagle.plan().keptOf(group.id()).length / group.size() : 1;
        }
        SoftCost cost = new SoftCost(s.model().graph(), s.graph(), groups, TargetKind.FLOPS);
        long pruned = CostModel.of(ChannelSurgery.apply(s.model(), s.graph(), eagle.plan()).spec()).macs();
        assertEquals((double) pruned / CostModel.of(s.model().spec()).macs(), cost.fraction(keep), 1e-9);
    }

    @Test
    void projectionMeetsTheBudgetExactlyFromBelowAndKeepsTheLearnedOrder() {
        SearchFixture s = SearchFixture.of("resnet20");
        Map<Integer, Double> ratios = new HashMap<>();
        Random random = new Random(1);
        s.graph().prunableGroups().forEach(g -> ratios.put(g.id(), 0.3 + 0.6 * random.nextDouble()));
        for (double target : new double[] {0.3, 0.5, 0.8}) {
            RatioProjection.Projection p = RatioProjection.project("dsa", s.request(TargetKind.FLOPS, target).build(),
                    ratios);
            AllocationResult r = p.allocation();
            assertTrue(r.targetMet(), r.summary());
            assertTrue(r.achievedFlopsFraction() > target - 0.03, r.summary());
            s.assertKeepsTheHighestScores(r.plan());
        }
        // A group asked to keep more keeps at least as large a share after the common shift.
        RatioProjection.Projection p = RatioProjection.project("dsa", s.request(TargetKind.FLOPS, 0.5).build(), ratios);
        for (ChannelGroup a : s.graph().prunableGroups()) {
            for (ChannelGroup b : s.graph().prunableGroups()) {
                if (a.size() == b.size() && ratios.get(a.id()) > ratios.get(b.id()) + 2.0 / a.size()) {
                    assertTrue(kept(p.allocation(), a) >= kept(p.allocation(), b), a.name() + " vs " + b.name());
                }
            }
        }
        AllocationResult impossible = RatioProjection.project("dsa", s.request(TargetKind.FLOPS, 1e-4).build(), ratios)
                .allocation();
        assertFalse(impossible.targetMet());
    }

    @Test
    void trainedRatiosMeetTheBudgetAfterProjection() {
        SearchFixture s = SearchFixture.of("resnet20");
        ImageDataset data = randomImages(32, new Random(4));
        List<int[]> reports = new ArrayList<>();
        DsaTrainer.Result result = new DsaTrainer(new DsaTrainer.Settings(10, 5.0, 0.05, 0.1, 16, 3),
                (step, steps, ce, cost) -> reports.add(new int[] {step, steps})).train(
                s.request(TargetKind.FLOPS, 0.4).build(), data);
        assertEquals(s.graph().prunableGroups().size(), result.keepRatios().size());
        result.keepRatios().values().forEach(r -> assertTrue(r > 0 && r < 1, "ratio " + r));
        assertTrue(result.keepRatios().values().stream().distinct().count() > 1, "groups learn different ratios");
        assertTrue(Double.isFinite(result.lastCrossEntropy()));
        assertEquals(10, reports.get(reports.size() - 1)[0]);
        AllocationResult projected = RatioProjection.project("dsa", s.request(TargetKind.FLOPS, 0.4).build(),
                result.keepRatios()).allocation();
        assertTrue(projected.targetMet(), projected.summary());
        assertTrue(projected.achievedFlopsFraction() > 0.37, projected.summary());
    }

    /** The budget term pushes the estimated cost down towards the target when the loss alone would not. */
    @Test
    void theBudgetPenaltyPullsTheEstimatedCostTowardsTheTarget() {
        SearchFixture s = SearchFixture.of("lenet");
        ImageDataset data = randomImages(64, new Random(5));
        DsaTrainer.Result free = new DsaTrainer(new DsaTrainer.Settings(15, 0.0, 0.05, 0.1, 32, 1),
                DsaTrainer.Progress.NONE).train(s.request(TargetKind.FLOPS, 0.2).build(), data);
        DsaTrainer.Result pushed = new DsaTrainer(new DsaTrainer.Settings(15, 50.0, 0.05, 0.1, 32, 1),
                DsaTrainer.Progress.NONE).train(s.request(TargetKind.FLOPS, 0.2).build(), data);
        assertTrue(pushed.estimatedFraction() < free.estimatedFraction(),
                pushed.estimatedFraction() + " vs " + free.estimatedFraction());
        assertEquals(0, free.multiplier(), "no budget step, no multiplier");
        assertTrue(pushed.multiplier() >= 0, "the multiplier of an inequality constraint is never negative");
        assertTrue(pushed.describeRatios().startsWith("conv1 "), pushed.describeRatios());
    }

    /** Unlike Adam's per-coordinate steps, a group with twice the gradient moves twice as far. */
    @Test
    void stepsAreProportionalToEachGroupsGradient() {
        double[] theta = {0, 0, 0};
        DsaTrainer.proportionalStep(theta, new double[] {1, 2, -4}, 0.1);
        assertEquals(2 * theta[0], theta[1], 1e-12);
        assertEquals(-4 * theta[0], theta[2], 1e-12);
        double rms = Math.sqrt((1 + 4 + 16) / 3.0);
        assertEquals(-0.1 / rms, theta[0], 1e-12, "a typical group moves by the rate");
    }

    /** Skipping a non-finite step, as documented, rides out a bad batch that comes back every other step. */
    @Test
    void anOccasionalNonFiniteStepIsSkipped() {
        ImageDataset data = withNaN(randomImages(32, new Random(6)), 1);
        DsaTrainer.Result result = new DsaTrainer(new DsaTrainer.Settings(12, 5.0, 0.05, 0.1, 16, 3),
                DsaTrainer.Progress.NONE).train(SearchFixture.of("lenet").request(TargetKind.FLOPS, 0.5).build(), data);
        result.keepRatios().values().forEach(r -> assertTrue(r > 0 && r < 1, "ratio " + r));
    }

    @Test
    void nonFiniteStepsInARowEndTheRun() {
        ImageDataset data = withNaN(randomImages(32, new Random(6)), 32);
        List<Integer> reported = new ArrayList<>();
        DsaTrainer trainer = new DsaTrainer(new DsaTrainer.Settings(30, 5.0, 0.05, 0.1, 16, 3),
                (step, steps, ce, cost) -> reported.add(step));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.train(SearchFixture.of("lenet").request(TargetKind.FLOPS, 0.5).build(), data));

        assertEquals(DsaTrainer.MAX_SKIPPED_IN_A_ROW, e.step());
        assertTrue(e.getMessage().startsWith("DSA diverged at step 10 (epoch 5, batch 2 of 2): the keep ratios' "
                + "gradient was non-finite on 10 step(s) in a row"), e.getMessage());
        assertEquals(List.of(3, 6, 9), reported, "no step after the tenth");

        // A run shorter than the limit fails when every step was skipped.
        TrainingDivergedException shortRun = assertThrows(TrainingDivergedException.class,
                () -> new DsaTrainer(new DsaTrainer.Settings(3, 5.0, 0.05, 0.1, 16, 3), DsaTrainer.Progress.NONE)
                        .train(SearchFixture.of("lenet").request(TargetKind.FLOPS, 0.5).build(), data));
        assertEquals(3, shortRun.step());
    }

    /** {@code data} with the first pixel of its first {@code images} images NaN. */
    private static ImageDataset withNaN(ImageDataset data, int images) {
        float[] pixels = new float[data.size() * data.imageSize()];
        for (int i = 0; i < data.size(); i++) {
            float[] image = data.image(i);
            if (i < images) {
                image[0] = Float.NaN;
            }
            System.arraycopy(image, 0, pixels, i * data.imageSize(), data.imageSize());
        }
        return new ImageDataset(pixels, data.labels(), data.channels(), data.height(), data.width(),
                data.numClasses());
    }

    private static int kept(AllocationResult r, ChannelGroup g) {
        return r.plan().touches(g.id()) ? r.plan().keptOf(g.id()).length : g.size();
    }

    static ImageDataset randomImages(int n, Random random) {
        float[] pixels = new float[n * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        return new ImageDataset(pixels, random.ints(n, 0, 10).toArray(), 1, 28, 28, 10);
    }
}
