package io.prunestream.tf.convert;

import io.prunestream.tf.savedmodel.FlatNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** The nodes an output depends on, inputs first, with how many of them consume each node. */
record FlatOrder(List<FlatNode> nodes, Map<FlatNode, Integer> consumers) {

    /** Iterative depth-first search: Keras graphs can be deeper than the call stack allows. */
    static FlatOrder of(FlatNode root) {
        List<FlatNode> order = new ArrayList<>();
        Map<FlatNode, Integer> consumers = new IdentityHashMap<>();
        Map<FlatNode, Boolean> done = new IdentityHashMap<>();
        Deque<FlatNode> stack = new ArrayDeque<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            FlatNode n = stack.peek();
            Boolean finished = done.get(n);
            if (finished == null) {
                done.put(n, false);
                // Pushed last-first so that first inputs come out first: the package keeps the graph's order.
                for (int i = n.inputs().size() - 1; i >= 0; i--) {
                    FlatNode in = n.input(i).node();
                    consumers.merge(in, 1, Integer::sum);
                    if (!done.containsKey(in)) {
                        stack.push(in);
                    }
                }
            } else {
                stack.pop();
                if (!finished) {
                    done.put(n, true);
                    order.add(n);
                }
            }
        }
        return new FlatOrder(List.copyOf(order), consumers);
    }

    int consumersOf(FlatNode n) {
        return consumers.getOrDefault(n, 0);
    }
}
