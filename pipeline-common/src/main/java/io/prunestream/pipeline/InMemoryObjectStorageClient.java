package io.prunestream.pipeline;

import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A bucket in memory, standing in for S3 in tests and single-process runs. */
public final class InMemoryObjectStorageClient implements ObjectStorageClient {
    private final ConcurrentMap<String, byte[]> objects = new ConcurrentHashMap<>();
    private final AtomicInteger puts = new AtomicInteger();
    private final String bucket;

    public InMemoryObjectStorageClient(String bucket) {
        this.bucket = bucket;
    }

    public InMemoryObjectStorageClient() {
        this("in-memory");
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public void put(String key, byte[] content) {
        objects.put(key, content.clone());
        puts.incrementAndGet();
    }

    @Override
    public Optional<byte[]> get(String key) {
        return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
    }

    @Override
    public OptionalLong head(String key) {
        byte[] content = objects.get(key);
        return content == null ? OptionalLong.empty() : OptionalLong.of(content.length);
    }

    @Override
    public java.util.List<String> list(String prefix) {
        return keys().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    public Set<String> keys() {
        return new TreeSet<>(objects.keySet());
    }

    /** How many puts reached the bucket, to check that a store skips content it already holds. */
    public int putCount() {
        return puts.get();
    }
}
