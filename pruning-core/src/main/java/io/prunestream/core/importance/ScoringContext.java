package io.prunestream.core.importance;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.model.ModelPackage;
import java.util.Objects;

/**
 * What a criterion may look at: the model package, its channel groups and a seed for criteria that
 * draw random numbers. The dependency graph is passed in rather than rebuilt per criterion because
 * callers usually hold one already and group ids must match theirs.
 *
 * <p><b>Calibration data.</b> Data-driven criteria (activation statistics, Taylor expansion, the
 * oracle) read a sample of labelled inputs, set with {@link Builder#calibration} and reported by
 * {@link #hasCalibrationData()}; such criteria declare the need through
 * {@link ImportanceCriterion#needsData()}, and {@link ImportanceCriterion#scorePrunableGroups} refuses to
 * run them on a context without data.
 */
public final class ScoringContext {
    private final ModelPackage model;
    private final DependencyGraph graph;
    private final long seed;
    private final CalibrationData calibration;

    private ScoringContext(Builder b) {
        this.model = b.model;
        this.graph = b.graph != null ? b.graph : DependencyGraph.of(b.model.graph());
        this.seed = b.seed;
        this.calibration = b.calibration;
    }

    /** A context with a freshly built dependency graph and seed 0. */
    public static ScoringContext of(ModelPackage model) {
        return builder(model).build();
    }

    public static Builder builder(ModelPackage model) {
        return new Builder(model);
    }

    public ModelPackage model() {
        return model;
    }

    public DependencyGraph graph() {
        return graph;
    }

    public long seed() {
        return seed;
    }

    /** Whether a data sample is available to data-driven criteria; see the class comment. */
    public boolean hasCalibrationData() {
        return calibration != null;
    }

    /** The data sample; fails with a message data-driven criteria can pass on when there is none. */
    public CalibrationData calibration() {
        if (calibration == null) {
            throw new IllegalStateException("the scoring context of model '" + model.spec().name()
                    + "' has no calibration data (ScoringContext.builder(model).calibration(sample, batchSize))");
        }
        return calibration;
    }

    public static final class Builder {
        private final ModelPackage model;
        private DependencyGraph graph;
        private long seed;
        private CalibrationData calibration;

        private Builder(ModelPackage model) {
            this.model = Objects.requireNonNull(model, "model");
        }

        /** The model's dependency graph; built from the model when not given. */
        public Builder graph(DependencyGraph graph) {
            this.graph = graph.requireDescribes(model);
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The labelled sample data-driven criteria use, run through the model {@code batchSize} images at a time. */
        public Builder calibration(ImageDataset sample, int batchSize) {
            CalibrationData data = new CalibrationData(sample, batchSize);
            data.requireFits(model.spec());
            this.calibration = data;
            return this;
        }

        public ScoringContext build() {
            return new ScoringContext(this);
        }
    }
}
