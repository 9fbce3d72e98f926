package io.prunestream.core.train;

import io.prunestream.core.model.ModelPackage;
import java.util.List;

/** The trained package and how each epoch went, oldest first. */
public record TrainingResult(ModelPackage model, List<EpochStats> history) {
    public TrainingResult {
        history = List.copyOf(history);
    }

    public EpochStats lastEpoch() {
        return history.get(history.size() - 1);
    }
}
