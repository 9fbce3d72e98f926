package io.prunestream.pipeline.stage;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.data.IdxDatasetFolder;
import io.prunestream.core.data.InputTransform;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.pipeline.JobSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads each job's data once per service: decoding 60,000 images takes seconds and a job passes
 * through a service several times (candidates, rounds). A few recent entries are kept; a split of
 * Fashion-MNIST is a few hundred MB of floats.
 */
public final class DatasetCache {
    private static final int MAX_ENTRIES = 3;
    private final Path defaultFolder;
    private final Map<String, DataSplits> cache = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, DataSplits> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    public DatasetCache(Path defaultFolder) {
        this.defaultFolder = defaultFolder;
    }

    public DatasetCache() {
        this(IdxDatasetFolder.defaultFolder());
    }

    /** The job's splits as {@code model} takes them: its normalisation and its input transform. */
    public synchronized DataSplits forJob(JobSpec spec, ModelSpec model) {
        Path folder = spec.datasetDir() != null ? Path.of(spec.datasetDir()) : defaultFolder;
        InputSpec input = model.input();
        String key = folder + "|" + input.mean() + "|" + input.std() + "|" + InputTransform.of(model).key() + "|"
                + spec.seed() + "|" + spec.trainImages() + "|" + spec.heldOutImages() + "|" + spec.testImages();
        DataSplits splits = cache.get(key);
        if (splits == null) {
            try {
                splits = DataSplits.load(folder, model, spec.seed(),
                        new DataSplits.Limits(spec.trainImages(), spec.heldOutImages(), spec.testImages()));
            } catch (IOException e) {
                throw new StageFailure("dataset unavailable: " + e.getMessage(), e);
            }
            cache.put(key, splits);
        }
        return splits;
    }
}
