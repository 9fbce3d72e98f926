package io.prunestream.core.cost;

import java.util.List;

/** Per-node and total cost of a model; see {@link CostModel} for what is counted. */
public record CostReport(List<NodeCost> nodes) {
    public CostReport {
        nodes = List.copyOf(nodes);
    }

    public long macs() {
        return nodes.stream().mapToLong(NodeCost::macs).sum();
    }

    public long params() {
        return nodes.stream().mapToLong(NodeCost::params).sum();
    }
}
