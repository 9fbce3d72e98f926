package io.prunestream.core.allocation;

/**
 * Decides how many channels each group keeps, and which (the highest-scored), so that the pruned
 * model meets a cost target. Allocators differ in how they spread the removal over groups.
 */
public interface RatioAllocator {
    /** The registry name ({@link Allocators#byName}). */
    String name();

    AllocationResult allocate(AllocationRequest request);
}
