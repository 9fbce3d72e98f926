package io.prunestream.core.model;

/** A model package or spec that cannot be used; the message names the node or file at fault. */
public class ModelFormatException extends RuntimeException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
