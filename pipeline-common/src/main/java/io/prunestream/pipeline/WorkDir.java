package io.prunestream.pipeline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The layout of a pipeline work directory, shared by the services and prunectl so that a model a
 * user submits lands where the services look: {@code artifacts/} holds the {@link DirectoryArtifactStore},
 * {@code ledger/} the job ledger (idempotency records, candidate results, stage durations). On Kubernetes
 * the work directory is the shared volume.
 */
public record WorkDir(Path root) {
    public WorkDir {
        Objects.requireNonNull(root, "work directory");
    }

    public Path artifacts() {
        return root.resolve("artifacts");
    }

    public Path ledger() {
        return root.resolve("ledger");
    }
}
