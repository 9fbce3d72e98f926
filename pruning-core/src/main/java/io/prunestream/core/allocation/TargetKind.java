package io.prunestream.core.allocation;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.prunestream.core.cost.CostReport;

/**
 * The cost an allocation target constrains; FLOPs are MACs as {@link io.prunestream.core.cost.CostModel}
 * counts them. Jobs name it in JSON as {@code "flops"} or {@code "params"}.
 */
public enum TargetKind {
    @JsonProperty("flops")
    FLOPS("FLOPs"),
    @JsonProperty("params")
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
