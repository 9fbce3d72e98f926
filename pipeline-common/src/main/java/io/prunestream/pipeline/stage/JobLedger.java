package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Small per-job records that services share through the same volume as the artifact store: which
 * units of work are done (idempotency under at-least-once delivery), the evaluator's per-round
 * candidate results (so best-of-N can be decided by whichever message completes the set) and stage
 * durations for the report. Claims are atomic file creations, so two deliveries of one message can
 * never both win.
 */
public final class JobLedger {
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9._=-]+(/[A-Za-z0-9._=-]+)*");
    private final Path root;

    public JobLedger(Path root) {
        try {
            this.root = Files.createDirectories(root).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + root + " as job ledger: " + e.getMessage(), e);
        }
    }

    /** Claims a name once: true for the first caller, false ever after. */
    public boolean claim(String jobId, String name) {
        Path file = file(jobId, name);
        try {
            Files.createDirectories(file.getParent());
            Files.createFile(file);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("job ledger: cannot claim " + name + ": " + e.getMessage(), e);
        }
    }

    public boolean exists(String jobId, String name) {
        return Files.exists(file(jobId, name));
    }

    /** Writes (or replaces) a record atomically. */
    public void put(String jobId, String name, String content) {
        Path file = file(jobId, name);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".ledger", ".tmp");
            Files.writeString(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("job ledger: cannot write " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a record only if none exists, atomically (a hard link to a complete temporary file, which
     * fails if the name is taken), and returns the record that stands: this one, or the earlier one.
     */
    public String putIfAbsent(String jobId, String name, String content) {
        Path file = file(jobId, name);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".ledger", ".tmp");
            try {
                Files.writeString(tmp, content);
                Files.createLink(file, tmp);
                return content;
            } catch (FileAlreadyExistsException e) {
                return Files.readString(file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("job ledger: cannot write " + name + ": " + e.getMessage(), e);
        }
    }

    /** How long ago a record was written or {@link #touch touched}; empty if there is none. */
    public Optional<java.time.Duration> age(String jobId, String name) {
        Path file = file(jobId, name);
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            return Optional.of(java.time.Duration.ofMillis(Math.max(0, System.currentTimeMillis() - modified)));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("job ledger: cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Marks a record as written now (a heartbeat); a record that is gone stays gone. */
    public void touch(String jobId, String name) {
        try {
            Files.setLastModifiedTime(file(jobId, name), java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis()));
        } catch (java.nio.file.NoSuchFileException e) {
            // released meanwhile
        } catch (IOException e) {
            throw new UncheckedIOException("job ledger: cannot touch " + name + ": " + e.getMessage(), e);
        }
    }

    public void delete(String jobId, String name) {
        try {
            Files.deleteIfExists(file(jobId, name));
        } catch (IOException e) {
            throw new UncheckedIOException("job ledger: cannot delete " + name + ": " + e.getMessage(), e);
        }
    }

    public Optional<String> get(String jobId, String name) {
        Path file = file(jobId, name);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("job ledger: cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Records in a folder of the job, by file name. */
    public Map<String, String> list(String jobId, String folder) {
        Path dir = file(jobId, folder);
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (Files.isRegularFile(f) && !f.getFileName().toString().startsWith(".")) {
                    out.put(f.getFileName().toString(), Files.readString(f));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("job ledger: cannot list " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    private Path file(String jobId, String name) {
        JobIds.requireValid(jobId);
        if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("job ledger: unsafe record name '" + name + "'");
        }
        return root.resolve(jobId).resolve(name);
    }

    /** Turns an idempotency key ({@code job/stage/attempt/round/candidate}) into a record name. */
    static String doneName(String idempotencyKey) {
        return "done/" + idempotencyKey.substring(idempotencyKey.indexOf('/') + 1).replace(':', '=').replace('/', '_');
    }
}
