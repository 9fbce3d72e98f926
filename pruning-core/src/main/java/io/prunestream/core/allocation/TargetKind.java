package io.prunestream.core.allocation;

import io.prunestream.core.cost.CostReport;

/** The cost an allocation target constrains; FLOPs are MACs as {@link io.prunestream.core.cost.CostModel} counts them. */
public enum TargetKind {
    FLOPS("FLOPs"),
    PARAMS("params");

    private final String label;

    TargetKind(String label) {
        this.label = label;
    }

    /** The name used in summaries. */
    public String label() {
        return label;
    }

    public long of(long macs, long params) {
        return this == FLOPS ? macs : params;
    }

    public long of(CostReport cost) {
        return of(cost.macs(), cost.params());
    }

    /** The other kind, reported alongside in summaries. */
    public TargetKind other() {
        return this == FLOPS ? PARAMS : FLOPS;
    }
}
