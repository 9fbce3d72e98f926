package io.prunestream.core.dependency;

/**
 * One layer's share of a channel group. {@code layerIndex[g]} is the position, along the layer's
 * channel axis, of the group's channel {@code g}; for a linear layer reading a flattened feature map,
 * that channel's features are {@code layerIndex[g] * span ... layerIndex[g] * span + span - 1}.
 */
public record GroupMember(String nodeId, MemberRole role, int[] layerIndex, int span) {
    public GroupMember {
        layerIndex = layerIndex.clone();
    }

    @Override
    public int[] layerIndex() {
        return layerIndex.clone();
    }

    public int indexOf(int groupChannel) {
        return layerIndex[groupChannel];
    }
}
