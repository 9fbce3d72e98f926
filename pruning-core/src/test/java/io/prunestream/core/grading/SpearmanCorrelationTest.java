package io.prunestream.core.grading;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpearmanCorrelationTest {
    @Test
    void identicalRankingsCorrelateOneAndReversedMinusOne() {
        double[] x = {0.3, 5, -2, 8, 1};
        assertEquals(1, SpearmanCorrelation.of(x, x), 1e-12);
        // Any increasing transform keeps the ranks.
        double[] cubed = {0.027, 125, -8, 512, 1};
        assertEquals(1, SpearmanCorrelation.of(x, cubed), 1e-12);
        double[] reversed = {-0.3, -5, 2, -8, -1};
        assertEquals(-1, SpearmanCorrelation.of(x, reversed), 1e-12);
    }

    @Test
    void tiesShareTheAverageOfTheirRanks() {
        assertArrayEquals(new double[] {2, 3.5, 3.5, 1}, SpearmanCorrelation.ranks(new double[] {10, 20, 20, 5}));
        assertArrayEquals(new double[] {2, 2, 2}, SpearmanCorrelation.ranks(new double[] {7, 7, 7}));
        // Ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): covariance 4.5, variances 4.5 and 5.
        double rho = SpearmanCorrelation.of(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4});
        assertEquals(4.5 / Math.sqrt(4.5 * 5), rho, 1e-12);
    }

    @Test
    void aKnownSmallExample() {
        // Ranks x (1,2,3,4,5), y (2,1,4,3,5): Σd² = 4, so ρ = 1 − 6·4/(5·24) = 0.8.
        assertEquals(0.8, SpearmanCorrelation.of(new double[] {1, 2, 3, 4, 5}, new double[] {20, 10, 40, 30, 50}),
                1e-12);
    }

    @Test
    void undefinedForConstantSamplesOrFewerThanTwoValues() {
        assertTrue(Double.isNaN(SpearmanCorrelation.of(new double[] {1, 1, 1}, new double[] {1, 2, 3})));
        assertTrue(Double.isNaN(SpearmanCorrelation.of(new double[] {4}, new double[] {2})));
        assertThrows(IllegalArgumentException.class,
                () -> SpearmanCorrelation.of(new double[] {1, 2}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class,
                () -> SpearmanCorrelation.ranks(new double[] {1, Double.NaN}));
    }
}
