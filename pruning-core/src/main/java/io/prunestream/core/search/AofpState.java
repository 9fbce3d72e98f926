package io.prunestream.core.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.core.allocation.ChannelOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Where AOFP's search stands, as plain data that travels as JSON between pruner and evaluator.
 *
 * <p>Every prunable group searches for <em>which</em> of its channels can go, by random halving as in
 * Ding et al. (no heuristic criterion ranks them): it holds the channels already accepted for removal
 * ({@code pruned}, in the order they were accepted) and the channels still in question
 * ({@code candidates}, initially all above the group's floor). Each round trip proposes
 * {@code halves} random halves of the candidates; the evaluator measures the damage of removing
 * {@code pruned ∪ half} for each ({@link FeatureMapDamage}). Then, per group:
 * <ul>
 *   <li>if the least damaging half is within the threshold, it is accepted: its channels join
 *       {@code pruned} and leave the candidates, and the search goes on with the rest;</li>
 *   <li>otherwise the candidates shrink to the half whose channels took the least damage on average
 *       over the halves they were in (the damage is credited to every channel of a half, the paper's
 *       accumulated damage), and the next round trip halves that smaller set.</li>
 * </ul>
 * A group is done when no candidate is left or its floor is reached. {@link AofpSearch#settle} decides
 * what happens when every group is done: finish, or raise the threshold when the plan is still over
 * budget. The state ends after {@code maxRoundTrips} whatever happens, so the search terminates.
 */
public record AofpState(double threshold, int maxRoundTrips, int roundTrips, int halves, long seed, boolean finished,
        List<GroupSearch> groups) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Random halves judged per group and round trip when the caller does not say. */
    public static final int DEFAULT_HALVES = 4;

    /**
     * One group's search.
     *
     * @param size the group's channels
     * @param maxRemovable channels above the group's floor
     * @param pruned accepted removals, in acceptance order
     * @param candidates channels still in question
     * @param proposals the halves of {@code candidates} the evaluator judges next (empty when done)
     * @param lastDamage the least damage measured in the last round trip, or null
     */
    public record GroupSearch(int groupId, int size, int maxRemovable, int[] pruned, int[] candidates,
            List<int[]> proposals, Double lastDamage) {
        public GroupSearch {
            proposals = List.copyOf(proposals);
        }

        public boolean converged() {
            return proposals.isEmpty();
        }

        /** {@code pruned ∪ half} for every proposed half: what the evaluator removes. */
        List<int[]> removalSets() {
            return proposals.stream().map(h -> IntStream.concat(Arrays.stream(pruned), Arrays.stream(h)).toArray())
                    .toList();
        }

        GroupSearch judged(double[] damage, double threshold, int halves, SplittableRandom random) {
            int best = 0;
            for (int k = 1; k < damage.length; k++) {
                if (damage[k] < damage[best]) {
                    best = k;
                }
            }
            if (damage[best] <= threshold) {
                int[] accepted = proposals.get(best);
                int[] newPruned = IntStream.concat(Arrays.stream(pruned), Arrays.stream(accepted)).toArray();
                java.util.Set<Integer> gone = new java.util.HashSet<>();
                Arrays.stream(accepted).forEach(gone::add);
                int[] rest = Arrays.stream(candidates).filter(c -> !gone.contains(c)).toArray();
                return next(newPruned, rest, damage[best], halves, random);
            }
            // Credit every half's damage to its channels; keep the half that hurt least on average.
            Map<Integer, double[]> credit = new LinkedHashMap<>();
            for (int c : candidates) {
                credit.put(c, new double[2]);
            }
            for (int k = 0; k < damage.length; k++) {
                for (int c : proposals.get(k)) {
                    credit.get(c)[0] += damage[k];
                    credit.get(c)[1]++;
                }
            }
            int[] narrowed = Arrays.stream(candidates).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(c -> mean(credit.get(c))).thenComparingInt(c -> c))
                    .limit(candidates.length / 2).mapToInt(Integer::intValue).toArray();
            return next(pruned, narrowed, damage[best], halves, random);
        }

        private GroupSearch next(int[] newPruned, int[] newCandidates, double damage, int halves,
                SplittableRandom random) {
            return new GroupSearch(groupId, size, maxRemovable, newPruned, newCandidates,
                    propose(newCandidates, maxRemovable - newPruned.length, halves, random), damage);
        }

        private static double mean(double[] sumAndCount) {
            // A channel no half drew is as unknown as can be: it goes last.
            return sumAndCount[1] == 0 ? Double.POSITIVE_INFINITY : sumAndCount[0] / sumAndCount[1];
        }
    }

    public AofpState {
        if (!(threshold >= 0) || maxRoundTrips < 1 || roundTrips < 0 || halves < 1) {
            throw new IllegalArgumentException("AOFP needs a damage threshold >= 0, at least one round trip and "
                    + "at least one half per round trip, got " + threshold + ", " + maxRoundTrips + " and " + halves);
        }
        groups = List.copyOf(groups);
    }

    /** The search before the first round trip: every channel above a group's floor is a candidate. */
    public static AofpState start(ChannelOrder order, double threshold, int maxRoundTrips, int halves, long seed) {
        SplittableRandom random = random(seed, 0);
        List<GroupSearch> groups = new ArrayList<>();
        for (int i = 0; i < order.count(); i++) {
            int removable = order.size(i) - order.floor(i);
            int[] candidates = IntStream.range(0, order.size(i)).toArray();
            groups.add(new GroupSearch(order.group(i).id(), order.size(i), removable, new int[0], candidates,
                    propose(candidates, removable, halves, random), null));
        }
        return new AofpState(threshold, maxRoundTrips, 0, halves, seed, false, groups);
    }

    public static AofpState start(ChannelOrder order, double threshold, int maxRoundTrips) {
        return start(order, threshold, maxRoundTrips, DEFAULT_HALVES, 0);
    }

    /** Finished, out of round trips, or (until {@link AofpSearch#settle} says more) every group done. */
    public boolean done() {
        return finished || roundTrips >= maxRoundTrips;
    }

    public boolean allConverged() {
        return groups.stream().allMatch(GroupSearch::converged);
    }

    /** The channel sets to judge, by group id: one removal set ({@code pruned ∪ half}) per proposed half. */
    public Map<Integer, List<int[]>> proposals() {
        Map<Integer, List<int[]>> out = new LinkedHashMap<>();
        groups.stream().filter(g -> !g.converged()).forEach(g -> out.put(g.groupId(), g.removalSets()));
        return out;
    }

    /** The state after the evaluator measured {@code damage} (by group id, one value per proposed half). */
    public AofpState judged(Map<Integer, double[]> damage) {
        SplittableRandom random = random(seed, roundTrips + 1);
        List<GroupSearch> next = new ArrayList<>();
        for (GroupSearch g : groups) {
            double[] d = damage.get(g.groupId());
            if (!g.converged() && (d == null || d.length != g.proposals().size())) {
                throw new IllegalArgumentException("group " + g.groupId() + " proposed " + g.proposals().size()
                        + " halves, but " + (d == null ? "no damage was measured" : d.length + " damages came back"));
            }
            next.add(g.converged() ? g : g.judged(d, threshold, halves, random));
        }
        return new AofpState(threshold, maxRoundTrips, roundTrips + 1, halves, seed, false, next);
    }

    /**
     * Every group searches again from its remaining channels under {@code newThreshold}; what was
     * accepted stays accepted.
     */
    AofpState escalated(double newThreshold) {
        SplittableRandom random = random(seed, 1000 + roundTrips);
        List<GroupSearch> next = new ArrayList<>();
        for (GroupSearch g : groups) {
            java.util.Set<Integer> gone = new java.util.HashSet<>();
            Arrays.stream(g.pruned()).forEach(gone::add);
            int[] rest = IntStream.range(0, g.size()).filter(c -> !gone.contains(c)).toArray();
            next.add(new GroupSearch(g.groupId(), g.size(), g.maxRemovable(), g.pruned(), rest,
                    propose(rest, g.maxRemovable() - g.pruned().length, halves, random), g.lastDamage()));
        }
        return new AofpState(newThreshold, maxRoundTrips, roundTrips, halves, seed, false, next);
    }

    AofpState finish() {
        return new AofpState(threshold, maxRoundTrips, roundTrips, halves, seed, true, groups);
    }

    /** Channels each group removes in the search's result, in acceptance order, by group id. */
    public Map<Integer, int[]> removals() {
        Map<Integer, int[]> out = new LinkedHashMap<>();
        groups.forEach(g -> out.put(g.groupId(), g.pruned().clone()));
        return out;
    }

    /** Up to {@code halves} random halves of {@code candidates}, none larger than {@code room}. */
    private static List<int[]> propose(int[] candidates, int room, int halves, SplittableRandom random) {
        int size = Math.min((candidates.length + 1) / 2, room);
        if (size <= 0) {
            return List.of();
        }
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < halves; k++) {
            int[] shuffled = candidates.clone();
            for (int i = shuffled.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = shuffled[i];
                shuffled[i] = shuffled[j];
                shuffled[j] = t;
            }
            int[] half = Arrays.copyOf(shuffled, size);
            Arrays.sort(half);
            out.add(half);
        }
        return out;
    }

    private static SplittableRandom random(long seed, int step) {
        return new SplittableRandom(seed * 1_000_003L + step);
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("AOFP state cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    public static AofpState fromJson(String json) {
        try {
            return JSON.readValue(json, AofpState.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("AOFP search state cannot be read: " + e.getOriginalMessage(), e);
        }
    }
}
