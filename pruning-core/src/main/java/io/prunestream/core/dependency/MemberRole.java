package io.prunestream.core.dependency;

/** How a layer takes part in a channel group. */
public enum MemberRole {
    /** A dense conv or linear layer whose output channels are the group's channels (weight axis 0). */
    PRODUCER,
    /** A batch-norm whose per-channel parameters follow the group. */
    NORM,
    /** A depthwise conv: its input and output channel are the same group channel. */
    DEPTHWISE,
    /** A dense conv or linear layer that reads the group's channels (weight axis 1). */
    CONSUMER
}
