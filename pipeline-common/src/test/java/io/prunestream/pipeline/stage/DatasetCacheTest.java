package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.data.InputTransform;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.testing.RequiredData;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatasetCacheTest {
    private final JobSpec job = PipelineFixture.job(new ArtifactRef("models/m", 1, "0".repeat(64))).trainImages(64)
            .heldOutImages(32).testImages(32).build();

    @Test
    void aModelImportedWithAnInputTransformIsFedTransformedImagesInEverySplit() {
        DatasetCache cache = new DatasetCache(RequiredData.fashionMnist());
        ModelSpec plain = ModelZoo.create("lenet", 1).spec();
        ModelSpec keras = plain.withInfo(Map.of(InputTransform.INFO_KEY, InputTransform.COLUMN_L2.key()));

        DataSplits forPlain = cache.forJob(job, plain);
        DataSplits forKeras = cache.forJob(job, keras);

        assertNotSame(forPlain, forKeras, "the transform is part of the cache key");
        assertSame(forKeras, cache.forJob(job, keras), "same model input, same cached splits");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(InputTransform.COLUMN_L2.apply(forPlain.test().image(i), 1, 1, 28, 28),
                    forKeras.test().image(i), 1e-6f, "test image " + i);
            assertArrayEquals(InputTransform.COLUMN_L2.apply(forPlain.train().image(i), 1, 1, 28, 28),
                    forKeras.train().image(i), 1e-6f, "training image " + i);
        }
    }
}
