package io.prunestream.core.dependency;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Which channels each pruned group keeps (sorted group-channel indices); absent groups keep all. */
public final class PruningPlan {
    private final Map<Integer, int[]> kept;

    public PruningPlan(Map<Integer, int[]> kept) {
        Map<Integer, int[]> copy = new TreeMap<>();
        kept.forEach((g, idx) -> {
            int[] s = idx.clone();
            Arrays.sort(s);
            copy.put(g, s);
        });
        this.kept = Collections.unmodifiableMap(copy);
    }

    public static PruningPlan empty() {
        return new PruningPlan(Map.of());
    }

    public Map<Integer, int[]> kept() {
        return kept;
    }

    public boolean touches(int group) {
        return kept.containsKey(group);
    }

    public int[] keptOf(int group) {
        return kept.get(group).clone();
    }

    public int removedCount(DependencyGraph graph) {
        return kept.entrySet().stream().mapToInt(e -> graph.group(e.getKey()).size() - e.getValue().length).sum();
    }
}
