package io.prunestream.core.allocation;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.model.ModelPackage;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What an allocator works from: the model and its channel groups, one score per channel of every
 * prunable group (from an importance criterion; higher = keep), the cost target as the fraction of
 * the original cost to keep, the floor of channels per group, the multiple kept counts are rounded up
 * to ({@link ChannelRounding}) and, optionally, a fixed pruning ratio. {@link Builder#build()} checks
 * everything, so allocators can trust a request.
 *
 * <p>A fixed ratio replaces the search: the allocator removes that fraction of channels its own way
 * (uniform: of every group; global: of all prunable channels, lowest scores first) and the result
 * still reports whether the target happened to be met. Rounding applies on top, so a group may keep up
 * to {@code roundTo - 1} channels more than the ratio says.
 */
public final class AllocationRequest {
    private final ModelPackage model;
    private final DependencyGraph graph;
    private final Map<Integer, float[]> scores;
    private final TargetKind targetKind;
    private final double targetFraction;
    private final int minChannels;
    private final int roundTo;
    private final OptionalDouble fixedRatio;
    private final long seed;

    private AllocationRequest(Builder b, DependencyGraph graph) {
        this.model = b.model;
        this.graph = graph;
        this.scores = b.scores;
        this.targetKind = b.targetKind;
        this.targetFraction = b.targetFraction;
        this.minChannels = b.minChannels;
        this.roundTo = b.roundTo;
        this.fixedRatio = b.fixedRatio;
        this.seed = b.seed;
    }

    /** A request over {@code scores}, keyed by group id; the map is copied. */
    public static Builder builder(ModelPackage model, Map<Integer, float[]> scores) {
        return new Builder(model, scores);
    }

    public ModelPackage model() {
        return model;
    }

    public DependencyGraph graph() {
        return graph;
    }

    /** All scores, keyed by group id (a deep copy). */
    public Map<Integer, float[]> scores() {
        Map<Integer, float[]> copy = new HashMap<>();
        scores.forEach((g, s) -> copy.put(g, s.clone()));
        return copy;
    }

    /** The scores of a prunable group (a copy). */
    public float[] scoresOf(int groupId) {
        float[] s = scores.get(groupId);
        if (s == null) {
            throw new IllegalArgumentException("no scores for group " + groupId);
        }
        return s.clone();
    }

    public TargetKind targetKind() {
        return targetKind;
    }

    /** Fraction of the original cost to keep, in (0, 1]. */
    public double targetFraction() {
        return targetFraction;
    }

    public int minChannels() {
        return minChannels;
    }

    /** Kept channel counts are rounded up to a multiple of this, or to the whole group; 1 = no rounding. */
    public int roundTo() {
        return roundTo;
    }

    public OptionalDouble fixedRatio() {
        return fixedRatio;
    }

    /** Seed of allocators that draw random numbers (EagleEye); deterministic allocators ignore it. */
    public long seed() {
        return seed;
    }

    public static final class Builder {
        private final ModelPackage model;
        private final Map<Integer, float[]> scores = new HashMap<>();
        private DependencyGraph graph;
        private TargetKind targetKind;
        private double targetFraction = Double.NaN;
        private int minChannels = ChannelSurgery.DEFAULT_MIN_CHANNELS;
        private int roundTo = ChannelRounding.DEFAULT_ROUND_TO;
        private OptionalDouble fixedRatio = OptionalDouble.empty();
        private long seed;

        private Builder(ModelPackage model, Map<Integer, float[]> scores) {
            this.model = Objects.requireNonNull(model, "model");
            Objects.requireNonNull(scores, "scores").forEach((g, s) -> this.scores.put(g, s == null ? null : s.clone()));
        }

        /** The model's dependency graph, whose group ids the scores use; built from the model when not given. */
        public Builder graph(DependencyGraph graph) {
            this.graph = graph;
            return this;
        }

        /** Keep {@code fraction} of the original cost of {@code kind}, e.g. (FLOPS, 0.5). */
        public Builder target(TargetKind kind, double fraction) {
            this.targetKind = Objects.requireNonNull(kind, "target kind");
            this.targetFraction = fraction;
            return this;
        }

        /** Channels every group keeps at least (a group smaller than this is left whole). */
        public Builder minChannels(int minChannels) {
            this.minChannels = minChannels;
            return this;
        }

        /**
         * Round every group's kept count up to a multiple of {@code roundTo} (a group that would then keep
         * all its channels is left whole); 1 switches rounding off. Defaults to
         * {@link ChannelRounding#DEFAULT_ROUND_TO}.
         */
        public Builder roundTo(int roundTo) {
            this.roundTo = roundTo;
            return this;
        }

        /** Prune this fraction of channels instead of searching for the target; see the class comment. */
        public Builder fixedRatio(double ratio) {
            this.fixedRatio = OptionalDouble.of(ratio);
            return this;
        }

        /** Seed of randomised allocators: one seed, one plan; 0 when not set. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public AllocationRequest build() {
            if (targetKind == null) {
                throw new IllegalArgumentException("no cost target: set one with target(kind, fraction)");
            }
            if (!(targetFraction > 0 && targetFraction <= 1)) {
                throw new IllegalArgumentException("target fraction must be in (0, 1] (the share of " + targetKind.label()
                        + " to keep), got " + targetFraction);
            }
            if (minChannels < 1) {
                throw new IllegalArgumentException("minimum channels per group must be at least 1, got " + minChannels);
            }
            ChannelRounding.requireValid(roundTo);
            if (fixedRatio.isPresent() && !(fixedRatio.getAsDouble() >= 0 && fixedRatio.getAsDouble() <= 1)) {
                throw new IllegalArgumentException("fixed pruning ratio must be in [0, 1], got " + fixedRatio.getAsDouble());
            }
            DependencyGraph g = graph != null ? graph.requireDescribes(model) : DependencyGraph.of(model.graph());
            if (g.prunableGroups().isEmpty()) {
                throw new IllegalArgumentException("model '" + model.spec().name() + "' has no prunable channel groups");
            }
            checkScores(g);
            return new AllocationRequest(this, g);
        }

        private void checkScores(DependencyGraph g) {
            for (Integer id : scores.keySet()) {
                if (id == null || id < 0 || id >= g.groups().size()) {
                    throw new IllegalArgumentException("scores name group " + id + ", the model has groups 0.."
                            + (g.groups().size() - 1));
                }
            }
            for (ChannelGroup group : g.prunableGroups()) {
                float[] s = scores.get(group.id());
                String which = "group " + group.id() + " '" + group.name() + "'";
                if (s == null) {
                    throw new IllegalArgumentException("scores are missing for " + which
                            + " (every prunable group needs one score per channel)");
                }
                if (s.length != group.size()) {
                    throw new IllegalArgumentException("scores for " + which + " have " + s.length
                            + " values, the group has " + group.size() + " channels");
                }
                for (int c = 0; c < s.length; c++) {
                    if (!Float.isFinite(s[c])) {
                        throw new IllegalArgumentException("score of channel " + c + " of " + which + " is " + s[c]);
                    }
                }
            }
        }
    }
}
