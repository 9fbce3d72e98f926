package io.prunestream.core.importance;

/**
 * A tensor of the forward pass on which a group's channels can be observed. {@code channelIndex[g]}
 * is the position of group channel {@code g} along the tensor's axis 1, or -1 where the tensor does
 * not carry it; on a flattened tensor a channel spans {@code span} consecutive features from
 * {@code channelIndex[g] * span}.
 */
public record ChannelSite(String tensorId, int[] channelIndex, int span) {
    public ChannelSite {
        channelIndex = channelIndex.clone();
    }

    @Override
    public int[] channelIndex() {
        return channelIndex.clone();
    }

    public int indexOf(int groupChannel) {
        return channelIndex[groupChannel];
    }
}
