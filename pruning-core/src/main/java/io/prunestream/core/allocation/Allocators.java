package io.prunestream.core.allocation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The ratio allocators by name, as the CLI and job configurations refer to them. "eagleeye" is random
 * (one plan per {@link AllocationRequest#seed()}, within a tolerance below the target); the others are
 * deterministic and return the plan closest to the target from below.
 */
public final class Allocators {
    private static final Map<String, Supplier<RatioAllocator>> KNOWN = new LinkedHashMap<>();

    static {
        KNOWN.put(UniformAllocator.NAME, UniformAllocator::new);
        KNOWN.put(GlobalAllocator.NAME, GlobalAllocator::new);
        KNOWN.put(GlobalAllocator.THRESHOLD, GlobalAllocator::threshold);
        KNOWN.put(io.prunestream.core.search.EagleEyeAllocator.NAME, io.prunestream.core.search.EagleEyeAllocator::new);
    }

    private Allocators() {}

    /** The allocator called {@code name} (case-insensitive). */
    public static RatioAllocator byName(String name) {
        Supplier<RatioAllocator> a = name == null ? null : KNOWN.get(name.trim().toLowerCase(Locale.ROOT));
        if (a == null) {
            throw new IllegalArgumentException("unknown allocator '" + name + "' (known: "
                    + String.join(", ", names()) + ")");
        }
        return a.get();
    }

    public static List<String> names() {
        return List.copyOf(KNOWN.keySet());
    }
}
