package io.prunestream.core.data;

import java.util.Random;

/** Seeded shuffles shared by sampling, splitting and batching. */
final class Permutations {

    private Permutations() {
    }

    /**
     * A Fisher-Yates shuffle of 0..n-1. {@link Random} is used on purpose: its algorithm is fixed
     * by the Java specification, so a seed gives the same subset on every JVM and run.
     */
    static int[] shuffled(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
