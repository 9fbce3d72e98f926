package io.prunestream.core.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A dataset file or folder that cannot be used. The message always starts with the path, so that
 * a user who sees only the message (CLI, log line) knows which file to look at.
 */
public class DatasetException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path path;

    public DatasetException(Path path, String problem) {
        super(path + ": " + problem);
        this.path = path;
    }

    public DatasetException(Path path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
        this.path = path;
    }

    /** The file or folder the problem is about. */
    public Path path() {
        return path;
    }
}
