package io.prunestream.core.dependency;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Channels that can only be removed together: the outputs of one or more producer layers (several
 * when an {@code add} joins them), their batch-norms, depthwise convs and every consumer's inputs.
 * A non-prunable group says why (it touches the network input or the classifier output, or a layer
 * kind surgery cannot split).
 */
public record ChannelGroup(int id, String name, int size, List<GroupMember> members, String notPrunableBecause) {
    public ChannelGroup {
        members = List.copyOf(members);
    }

    public boolean prunable() {
        return notPrunableBecause == null;
    }

    public List<GroupMember> members(MemberRole role) {
        return members.stream().filter(m -> m.role() == role).collect(Collectors.toList());
    }

    public String describe() {
        return members.stream().map(m -> m.nodeId() + ":" + m.role().name().toLowerCase())
                .collect(Collectors.joining(", "));
    }
}
