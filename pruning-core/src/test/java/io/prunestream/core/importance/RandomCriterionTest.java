package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RandomCriterionTest {
    private final ModelPackage model = ModelZoo.create("resnet20", 1);

    @Test
    void theSameSeedGivesTheSameScores() {
        Map<Integer, float[]> a = scores(42);
        Map<Integer, float[]> b = scores(42);
        a.forEach((g, s) -> assertTrue(Arrays.equals(s, b.get(g)), "group " + g));
    }

    @Test
    void anotherSeedGivesOtherScores() {
        Map<Integer, float[]> a = scores(42);
        Map<Integer, float[]> b = scores(43);
        a.forEach((g, s) -> assertFalse(Arrays.equals(s, b.get(g)), "group " + g));
    }

    @Test
    void scoresAreUniformInTheUnitInterval() {
        double sum = 0;
        int n = 0;
        for (float[] s : scores(7).values()) {
            for (float v : s) {
                assertTrue(v >= 0 && v < 1, "score " + v);
                sum += v;
                n++;
            }
        }
        // The mean of several hundred uniforms lies near 1/2.
        assertEquals(0.5, sum / n, 0.05);
    }

    private Map<Integer, float[]> scores(long seed) {
        return new RandomCriterion().scorePrunableGroups(ScoringContext.builder(model).seed(seed).build());
    }
}
