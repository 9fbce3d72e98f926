package io.prunestream.pipeline;

/**
 * An artifact that cannot be stored or handed out as its reference promises. The reason lets a
 * service tell a transient storage problem (worth a retry) from a bad reference (not worth one).
 */
public class ArtifactException extends RuntimeException {
    public enum Reason {
        NOT_FOUND,
        SIZE_MISMATCH,
        CHECKSUM_MISMATCH,
        /** The path is malformed or would lead outside the store. */
        PATH_REJECTED,
        IO_ERROR
    }

    private final Reason reason;

    public ArtifactException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ArtifactException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
