package io.prunestream.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What a job's budget counts. */
public enum TargetKind {
    @JsonProperty("flops")
    FLOPS,
    @JsonProperty("params")
    PARAMS
}
