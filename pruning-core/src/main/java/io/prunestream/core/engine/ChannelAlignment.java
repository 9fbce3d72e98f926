package io.prunestream.core.engine;

/**
 * Which channel counts a convolution should see padded, and to what. oneDNN stores channels in
 * blocks of its SIMD width (16 floats with AVX-512, 8 with AVX2) and, on some CPUs, computes garbage
 * in a partly filled last block; a count that is already a multiple of the block never has one.
 * Counts of at most {@link #PLAIN_LAYOUT_LIMIT} are left alone: oneDNN reads such inputs (the RGB or
 * grey stem of every image model) in their plain layout, and padding a 1-channel stem to 16 would
 * multiply its cost by 16. The self-check covers those counts too, so this is verified, not assumed.
 */
public record ChannelAlignment(int block) {
    /** The widest SIMD block in use on x86 CPUs (AVX-512: 16 floats); a multiple of AVX2's 8. */
    public static final int DEFAULT_BLOCK = 16;
    static final int PLAIN_LAYOUT_LIMIT = 3;

    public ChannelAlignment {
        if (block < 1) {
            throw new IllegalArgumentException("channel alignment block must be at least 1, got " + block);
        }
    }

    public static ChannelAlignment standard() {
        return new ChannelAlignment(DEFAULT_BLOCK);
    }

    /** Whether {@code count} channels leave a partly filled block. */
    public boolean unaligned(long count) {
        return count > PLAIN_LAYOUT_LIMIT && count % block != 0;
    }

    /** {@code count} rounded up to the block, or unchanged when it is aligned or small. */
    public long padded(long count) {
        return unaligned(count) ? (count + block - 1) / block * block : count;
    }

    /**
     * The per-group count {@code c' >= perGroup} whose total over {@code groups} groups is aligned
     * (for one group, simply {@link #padded}).
     */
    public long paddedPerGroup(long perGroup, long groups) {
        if (!unaligned(perGroup * groups)) {
            return perGroup;
        }
        long c = perGroup;
        while ((c * groups) % block != 0) {
            c++;
        }
        return c;
    }
}
