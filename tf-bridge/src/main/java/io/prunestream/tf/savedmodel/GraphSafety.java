package io.prunestream.tf.savedmodel;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SaverDef;

/**
 * Refuses a meta graph that holds ops outside {@link OpAllowList}, before any of it runs. Every node
 * of the main graph and of every library function is checked, reachable or not. Checkpoint ops pass
 * only where nothing but the saver can reach them: in ancestors of the saver's save and restore
 * nodes that no other node depends on, and in functions that only those call.
 */
public final class GraphSafety {
    private static final int LOCATIONS_SHOWN = 3;

    private GraphSafety() {}

    public static void check(MetaGraphDef meta, String source) {
        Map<String, NodeDef> main = new HashMap<>();
        meta.getGraphDef().getNodeList().forEach(n -> main.put(n.getName(), n));
        Map<String, FunctionDef> library = new HashMap<>();
        meta.getGraphDef().getLibrary().getFunctionList().forEach(f -> library.put(f.getSignature().getName(), f));

        Set<String> saverOnly = saverOnlyNodes(meta.getSaverDef(), main);
        Set<String> others = new HashSet<>(main.keySet());
        others.removeAll(saverOnly);
        Set<String> saverFunctions = functionsCalledBy(saverOnly, main, library);
        saverFunctions.removeAll(functionsCalledBy(others, main, library));

        Map<String, List<String>> forbidden = new TreeMap<>();
        for (NodeDef n : main.values()) {
            Predicate<String> allowed = saverOnly.contains(n.getName()) ? OpAllowList::isSaverOp : OpAllowList::isComputeOp;
            note(n, allowed, library, "node '" + n.getName() + "'", forbidden);
        }
        for (FunctionDef f : library.values()) {
            String name = f.getSignature().getName();
            Predicate<String> allowed = saverFunctions.contains(name) ? OpAllowList::isSaverOp : OpAllowList::isComputeOp;
            for (NodeDef n : f.getNodeDefList()) {
                note(n, allowed, library, "node '" + n.getName() + "' of function '" + name + "'", forbidden);
            }
        }
        if (!forbidden.isEmpty()) {
            String detail = forbidden.entrySet().stream()
                    .map(e -> e.getKey() + " (" + describe(e.getValue()) + ")")
                    .collect(Collectors.joining("; "));
            throw new ForbiddenOpsException("refused SavedModel " + source + ": it contains ops outside PruneStream's "
                    + "allow-list, which TensorFlow would run on load or inference: " + detail,
                    List.copyOf(forbidden.keySet()));
        }
    }

    private static void note(NodeDef n, Predicate<String> allowed, Map<String, FunctionDef> library, String where,
            Map<String, List<String>> forbidden) {
        if (!library.containsKey(n.getOp()) && !allowed.test(n.getOp())) {
            forbidden.computeIfAbsent(n.getOp(), k -> new ArrayList<>()).add(where);
        }
    }

    private static String describe(List<String> locations) {
        String shown = locations.stream().limit(LOCATIONS_SHOWN).collect(Collectors.joining(", "));
        return locations.size() > LOCATIONS_SHOWN ? shown + " and " + (locations.size() - LOCATIONS_SHOWN) + " more" : shown;
    }

    /** Ancestors of the saver's nodes on which no other node depends. */
    private static Set<String> saverOnlyNodes(SaverDef saver, Map<String, NodeDef> main) {
        Set<String> roots = new HashSet<>();
        for (String t : List.of(saver.getSaveTensorName(), saver.getRestoreOpName(), saver.getFilenameTensorName())) {
            if (!t.isEmpty()) {
                roots.add(TensorNames.node(t));
            }
        }
        Set<String> saverClosure = ancestors(roots, main);
        Set<String> rest = new HashSet<>(main.keySet());
        rest.removeAll(saverClosure);
        Set<String> needed = ancestors(rest, main);
        saverClosure.removeAll(needed);
        return saverClosure;
    }

    private static Set<String> ancestors(Set<String> roots, Map<String, NodeDef> main) {
        Set<String> seen = new HashSet<>();
        Deque<String> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            NodeDef n = main.get(name);
            if (n != null && seen.add(name)) {
                n.getInputList().forEach(in -> pending.push(TensorNames.node(in)));
            }
        }
        return seen;
    }

    private static Set<String> functionsCalledBy(Set<String> nodes, Map<String, NodeDef> main,
            Map<String, FunctionDef> library) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>();
        nodes.forEach(n -> pending.addAll(FunctionRefs.of(main.get(n), library.keySet())));
        while (!pending.isEmpty()) {
            String f = pending.pop();
            FunctionDef def = library.get(f);
            if (def != null && found.add(f)) {
                def.getNodeDefList().forEach(n -> pending.addAll(FunctionRefs.of(n, library.keySet())));
            }
        }
        return found;
    }
}
