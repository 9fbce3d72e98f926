package io.prunestream.core.importance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.data.RandomImages;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every data-driven criterion gives one finite score per channel of every prunable group of every zoo model. */
class DataCriteriaZooTest {
    /** Two images: this checks plumbing on every architecture, not ranking quality (the oracle costs a pass per channel). */
    private static final int IMAGES = 2;

    static Stream<String> architectures() {
        return ModelZoo.ARCHITECTURES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void everyDataCriterionScoresEveryPrunableGroup(String arch) {
        ModelPackage model = ModelZoo.create(arch, 5);
        ScoringContext ctx = ScoringContext.builder(model).seed(3)
                .calibration(RandomImages.gaussian(model.spec().input(), model.spec().classes(), IMAGES, 9), IMAGES)
                .build();
        for (String name : Criteria.names()) {
            ImportanceCriterion criterion = Criteria.byName(name);
            if (!criterion.needsData()) {
                continue;
            }
            Map<Integer, float[]> scores = criterion.scorePrunableGroups(ctx);
            assertEquals(ctx.graph().prunableGroups().size(), scores.size(), arch + " " + name);
            for (ChannelGroup g : ctx.graph().prunableGroups()) {
                float[] s = scores.get(g.id());
                assertEquals(g.size(), s.length, arch + " " + name + " " + g.name());
                for (float v : s) {
                    assertTrue(Float.isFinite(v), arch + " " + name + " " + g.name() + ": " + v);
                }
            }
        }
    }
}
