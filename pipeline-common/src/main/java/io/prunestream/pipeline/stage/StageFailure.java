package io.prunestream.pipeline.stage;

/** A job that cannot go on (bad input, impossible target): its message becomes the error result's cause. */
public class StageFailure extends RuntimeException {
    public StageFailure(String message) {
        super(message);
    }

    public StageFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
