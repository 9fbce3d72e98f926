package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "oracle": the exact change of the loss on the calibration sample when the channel alone is
 * removed, {@code score = loss_without − loss_with} (mean cross-entropy, inference mode). It is the
 * quantity every other criterion estimates, and the reference the grader ranks them against. It can
 * be negative: removing a channel that fits noise in the sample lowers the loss, so such a channel
 * ranks below every harmless one. Removal follows {@link io.prunestream.core.dependency.ChannelMasking}
 * exactly (see {@link ChannelRemovalLoss}); a channel nothing reads scores 0.
 *
 * <p>It costs one forward pass of the sample per channel (batched: many channels per pass, bounded
 * by {@link #DEFAULT_IMAGES_PER_PASS} images per pass to bound native memory).
 */
public final class OracleCriterion implements ImportanceCriterion {
    public static final String NAME = "oracle";
    /** Activations are freed as the pass goes, so only the replicated suffix's live tensors count. */
    public static final int DEFAULT_IMAGES_PER_PASS = 1024;

    private final ChannelRemovalLoss removal;

    public OracleCriterion() {
        this(DEFAULT_IMAGES_PER_PASS);
    }

    /** {@code imagesPerPass}: how many images (sample batch × replicated channels) one forward pass may carry. */
    public OracleCriterion(int imagesPerPass) {
        this.removal = new ChannelRemovalLoss(imagesPerPass);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean needsData() {
        return true;
    }

    @Override
    public float[] score(ChannelGroup group, ScoringContext context) {
        return scoreGroups(List.of(group), context).get(group.id());
    }

    @Override
    public Map<Integer, float[]> scoreGroups(List<ChannelGroup> groups, ScoringContext context) {
        Map<Integer, float[]> scores = new LinkedHashMap<>();
        removal.increases(context, groups).forEach((g, d) -> {
            float[] f = new float[d.length];
            for (int c = 0; c < f.length; c++) {
                f[c] = (float) d[c];
            }
            scores.put(g, f);
        });
        return scores;
    }

    /** The loss increases in double, for callers (the grader, tests) that need more than float resolution. */
    public Map<Integer, double[]> lossIncreases(ScoringContext context) {
        return removal.increases(context, context.graph().prunableGroups());
    }
}
