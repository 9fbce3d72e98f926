package io.prunestream.tf;

/** TensorFlow cannot run in this JVM; the message says what to configure. */
public class TfUnavailableException extends RuntimeException {
    public TfUnavailableException(String message) {
        super(message);
    }

    public TfUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
