package io.prunestream.core.importance;

import io.prunestream.core.dependency.ChannelGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks the channels of a group: one finite score per group channel, higher meaning more important,
 * so that pruning removes the lowest scores first. Scores are only comparable within one criterion;
 * allocators that compare groups normalise them first.
 */
public interface ImportanceCriterion {
    /** The registry name ({@link Criteria#byName}). */
    String name();

    /** One finite score per channel of {@code group}, indexed by group channel. */
    float[] score(ChannelGroup group, ScoringContext context);

    /** Whether the criterion needs a data sample in the context (see {@link ScoringContext#hasCalibrationData}). */
    default boolean needsData() {
        return false;
    }

    /**
     * Scores several groups at once, keyed by group id. Criteria that run the model override this so
     * that one pass over the data serves every group; the default scores the groups one by one.
     */
    default Map<Integer, float[]> scoreGroups(List<ChannelGroup> groups, ScoringContext context) {
        Map<Integer, float[]> scores = new LinkedHashMap<>();
        for (ChannelGroup group : groups) {
            scores.put(group.id(), score(group, context));
        }
        return scores;
    }

    /**
     * Scores every prunable group of the context's model, keyed by group id: the input an allocator
     * takes. Checks what {@link #score} promises, so a faulty criterion fails here, naming itself and
     * the group, instead of producing a silently wrong plan.
     */
    default Map<Integer, float[]> scorePrunableGroups(ScoringContext context) {
        if (needsData() && !context.hasCalibrationData()) {
            throw new IllegalArgumentException("criterion '" + name() + "' needs a data sample, which the scoring "
                    + "context does not provide");
        }
        List<ChannelGroup> groups = context.graph().prunableGroups();
        Map<Integer, float[]> all = scoreGroups(groups, context);
        Map<Integer, float[]> scores = new LinkedHashMap<>();
        for (ChannelGroup group : groups) {
            float[] s = all.get(group.id());
            if (s == null) {
                throw new IllegalStateException("criterion '" + name() + "' gave no scores for group '" + group.name()
                        + "'");
            }
            if (s.length != group.size()) {
                throw new IllegalStateException("criterion '" + name() + "' gave " + s.length + " scores for group '"
                        + group.name() + "' of " + group.size() + " channels");
            }
            for (int c = 0; c < s.length; c++) {
                if (!Float.isFinite(s[c])) {
                    throw new IllegalStateException("criterion '" + name() + "' scored channel " + c + " of group '"
                            + group.name() + "' as " + s[c]);
                }
            }
            scores.put(group.id(), s);
        }
        return scores;
    }
}
