package io.prunestream.pipeline.stage;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactStore;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Measures how long one stage spends reading and writing artifacts (including package encoding and
 * checksums), so reports can split a stage's time into compute and I/O.
 */
final class TimedArtifactStore implements ArtifactStore {
    private final ArtifactStore delegate;
    private final AtomicLong nanos = new AtomicLong();

    TimedArtifactStore(ArtifactStore delegate) {
        this.delegate = delegate;
    }

    long millis() {
        return nanos.get() / 1_000_000;
    }

    private <T> T timed(Supplier<T> io) {
        long start = System.nanoTime();
        try {
            return io.get();
        } finally {
            nanos.addAndGet(System.nanoTime() - start);
        }
    }

    @Override
    public ArtifactRef put(String name, Path fileOrDir) {
        return timed(() -> delegate.put(name, fileOrDir));
    }

    @Override
    public ArtifactRef putBytes(String name, byte[] content) {
        return timed(() -> delegate.putBytes(name, content));
    }

    @Override
    public Path fetch(ArtifactRef ref) {
        return timed(() -> delegate.fetch(ref));
    }

    @Override
    public byte[] read(ArtifactRef ref) {
        return timed(() -> delegate.read(ref));
    }

    @Override
    public ArtifactRef putModel(String name, ModelPackage model) {
        return timed(() -> delegate.putModel(name, model));
    }

    @Override
    public ModelPackage loadModel(ArtifactRef ref) {
        return timed(() -> delegate.loadModel(ref));
    }

    @Override
    public java.util.List<String> list(String folder) {
        return timed(() -> delegate.list(folder));
    }

    @Override
    public void delete(String path) {
        timed(() -> {
            delegate.delete(path);
            return null;
        });
    }

    @Override
    public String uri(ArtifactRef ref) {
        return delegate.uri(ref);
    }

    @Override
    public String pathOf(String uri) {
        return delegate.pathOf(uri);
    }
}
