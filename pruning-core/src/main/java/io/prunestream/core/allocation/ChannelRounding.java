package io.prunestream.core.allocation;

/**
 * The round-to rule, after Torch-Pruning's {@code round_to}: a pruned group keeps a multiple of N
 * channels, or all of them. Aligned widths are the normal output of pruning for two reasons: on some
 * CPUs the oneDNN inside libtorch computes wrong convolutions for channel counts that are not a
 * multiple of its SIMD block (8 or 16, see NOTES.md), and aligned counts are what SIMD units and tensor
 * cores run fastest anyway.
 *
 * <p>Counts are rounded up, never down, so rounding only ever keeps more: a floor still holds, and a
 * schedule whose counts never grow with its step still has costs that never grow, so bisection over it
 * stays valid.
 */
public final class ChannelRounding {
    /**
     * N when nobody asks for another, chosen by measurement (`prunectl bench engine`, docs/BENCHMARKS.md):
     * on ResNet-20 at 50% FLOPs with one fine-tuning epoch, 8 gave the best accuracy of 1, 8 and 16
     * and a faster model than 1; 16 made ResNet-20's 16-wide groups uncuttable and cost accuracy. Where
     * the engine needs 16 for correctness, aligned execution pads 8-multiples at little cost. The only
     * place the default lives: the allocation request, the job spec and the command line read it here.
     */
    public static final int DEFAULT_ROUND_TO = 8;

    /** The value that switches rounding off. */
    public static final int NONE = 1;

    private ChannelRounding() {}

    /**
     * Channels a group of {@code size} keeps when asked for {@code keep}: at least {@code floor}, rounded
     * up to a multiple of {@code roundTo}, and never more than the group has (a group smaller than
     * {@code roundTo} is left whole).
     */
    public static int kept(int keep, int floor, int size, int roundTo) {
        long wanted = Math.max(keep, floor);
        long rounded = (wanted + roundTo - 1) / roundTo * roundTo;
        return (int) Math.min(size, rounded);
    }

    /** {@code roundTo}, or an exception saying what is accepted. */
    public static int requireValid(int roundTo) {
        if (roundTo < NONE) {
            throw new IllegalArgumentException("round-to must be at least 1 (1 = no rounding; kept channel counts "
                    + "are rounded up to a multiple of it), got " + roundTo);
        }
        return roundTo;
    }
}
