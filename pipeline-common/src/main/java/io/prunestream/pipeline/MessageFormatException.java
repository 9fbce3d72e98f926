package io.prunestream.pipeline;

/** A record that cannot be decoded or encoded; consumers route its input to the dead-letter topic. */
public class MessageFormatException extends RuntimeException {
    public MessageFormatException(String message) {
        super(message);
    }

    public MessageFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
