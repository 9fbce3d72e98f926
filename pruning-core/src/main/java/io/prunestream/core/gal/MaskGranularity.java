package io.prunestream.core.gal;

/** What one GAL soft mask scales: one channel of a channel group, or a whole residual block's branch. */
public enum MaskGranularity {
    /** One mask per channel of every maskable group ({@link MaskSites}, removal by {@link MaskPlan}). */
    CHANNELS,
    /** One scalar mask per residual block's branch ({@link BlockSites}, removal by {@link BlockRemoval}). */
    BLOCKS
}
