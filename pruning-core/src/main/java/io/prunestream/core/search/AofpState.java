package io.prunestream.core.search;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.core.allocation.ChannelOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where AOFP's search stands, as plain data that travels as JSON between pruner and evaluator. Every
 * prunable group runs its own binary search for how many of its lowest-scored channels can go: all
 * counts up to {@code lo} are known acceptable (0 always is), {@code hi} is the smallest count known
 * not to be ({@code maxRemovable + 1} until one is found), and {@code proposed} is the midpoint the
 * evaluator judges next. All groups search at once, so one round trip judges one proposal per
 * unfinished group and the search needs about {@code log2(largest group)} round trips; it ends when
 * every group has converged ({@code hi - lo <= 1}) or after {@code maxRoundTrips}, whichever is first,
 * so it always terminates. The result removes {@code lo} channels per group.
 */
public record AofpState(double threshold, int maxRoundTrips, int roundTrips, List<GroupSearch> groups) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One group's binary search over the number of channels removed. */
    public record GroupSearch(int groupId, int maxRemovable, int lo, int hi, int proposed, Double lastDamage) {
        public boolean converged() {
            return hi - lo <= 1;
        }

        GroupSearch judged(double damage, double threshold) {
            int newLo = damage <= threshold ? proposed : lo;
            int newHi = damage <= threshold ? hi : proposed;
            return new GroupSearch(groupId, maxRemovable, newLo, newHi, (newLo + newHi) / 2, damage);
        }
    }

    public AofpState {
        if (!(threshold >= 0) || maxRoundTrips < 1 || roundTrips < 0) {
            throw new IllegalArgumentException("AOFP needs a damage threshold >= 0 and at least one round trip, got "
                    + threshold + " and " + maxRoundTrips);
        }
        groups = List.copyOf(groups);
    }

    /** The search before the first round trip. */
    public static AofpState start(ChannelOrder order, double threshold, int maxRoundTrips) {
        List<GroupSearch> groups = new ArrayList<>();
        for (int i = 0; i < order.count(); i++) {
            int removable = order.size(i) - order.floor(i);
            groups.add(new GroupSearch(order.group(i).id(), removable, 0, removable + 1, (removable + 1) / 2, null));
        }
        return new AofpState(threshold, maxRoundTrips, 0, groups);
    }

    public boolean done() {
        return roundTrips >= maxRoundTrips || groups.stream().allMatch(GroupSearch::converged);
    }

    /** Channels each unfinished group proposes to remove this round trip, by group id. */
    public Map<Integer, Integer> proposals() {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        groups.stream().filter(g -> !g.converged()).forEach(g -> out.put(g.groupId(), g.proposed()));
        return out;
    }

    /** The state after the evaluator measured {@code damage} (by group id) for the proposals. */
    public AofpState judged(Map<Integer, Double> damage) {
        List<GroupSearch> next = new ArrayList<>();
        for (GroupSearch g : groups) {
            Double d = damage.get(g.groupId());
            if (!g.converged() && d == null) {
                throw new IllegalArgumentException("no damage measured for the proposal of group " + g.groupId());
            }
            next.add(g.converged() ? g : g.judged(d, threshold));
        }
        return new AofpState(threshold, maxRoundTrips, roundTrips + 1, next);
    }

    /** Channels each group removes in the search's result (its largest acceptable count), by group id. */
    public Map<Integer, Integer> removals() {
        Map<Integer, Integer> out = new LinkedHashMap<>();
        groups.forEach(g -> out.put(g.groupId(), g.lo()));
        return out;
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
