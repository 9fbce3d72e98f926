package io.prunestream.pipeline.stage;

import io.prunestream.core.data.DatasetException;
import io.prunestream.core.data.IdxDatasetFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The folders a job's {@code datasetDir} may point into. A job names a path on the service's file
 * system, and the service then reads (and, if asked, trains for hours on) whatever is there: without
 * a fence a job could make it read {@code /etc} or a colleague's data. A dataset folder is accepted
 * when it is absolute, lies inside a root both as written and after symbolic links are followed (a
 * link inside a root may not lead out of it), exists, and holds an IDX layout.
 */
public final class DataRoots {
    /** Property (env {@code PRUNESTREAM_DATA_ROOTS}) replacing the default roots: a comma-separated list. */
    public static final String PROPERTY = "prunestream.data-roots";
    public static final String ENV = "PRUNESTREAM_DATA_ROOTS";

    private final List<Path> roots;

    public DataRoots(List<Path> roots) {
        this.roots = roots.stream().map(root -> root.toAbsolutePath().normalize()).distinct().toList();
    }

    /** Parses {@link #PROPERTY}'s value; blank entries are ignored. */
    public static DataRoots parse(String commaSeparated) {
        List<Path> roots = new ArrayList<>();
        for (String entry : commaSeparated.split(",")) {
            if (!entry.isBlank()) {
                roots.add(Path.of(entry.strip()));
            }
        }
        return new DataRoots(roots);
    }

    public List<Path> roots() {
        return roots;
    }

    /** What is wrong with a job's dataset folder; empty when it may be used. {@code null} means the service's default. */
    public Optional<String> problem(String datasetDir) {
        if (datasetDir == null) {
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(datasetDir);
        } catch (InvalidPathException e) {
            return Optional.of("datasetDir '" + datasetDir + "' is not a valid path: " + e.getReason());
        }
        if (!path.isAbsolute()) {
            return Optional.of("datasetDir '" + datasetDir + "' must be an absolute path (as the services see it)");
        }
        Path normalized = path.normalize();
        // Checked before the file system is touched, so a job cannot probe which paths exist elsewhere.
        if (roots.stream().noneMatch(root -> normalized.startsWith(root) || normalized.startsWith(real(root)))) {
            return Optional.of(outside(datasetDir));
        }
        if (!Files.isDirectory(normalized)) {
            return Optional.of("datasetDir '" + datasetDir + "' is not a folder on the service (data roots: " + describe()
                    + ")");
        }
        Path real;
        try {
            real = normalized.toRealPath();
        } catch (IOException e) {
            return Optional.of("datasetDir '" + datasetDir + "' cannot be resolved: " + e.getMessage());
        }
        if (roots.stream().noneMatch(root -> real.startsWith(real(root)))) {
            return Optional.of(outside(datasetDir) + " (it leads to " + real + " through a symbolic link)");
        }
        try {
            IdxDatasetFolder.locate(real);
        } catch (DatasetException e) {
            return Optional.of("datasetDir holds no usable dataset: " + e.getMessage());
        }
        return Optional.empty();
    }

    private String outside(String datasetDir) {
        return "datasetDir '" + datasetDir + "' is outside the data roots of this service (" + describe()
                + "); put the data under one of them, or add its folder to " + PROPERTY + " (env " + ENV + ")";
    }

    /** The roots as a person reads them. */
    public String describe() {
        return roots.isEmpty() ? "none configured" : roots.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** A root as the file system resolves it: datasets are often installed behind links. */
    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    @Override
    public String toString() {
        return "DataRoots[" + describe() + "]";
    }
}
