package io.prunestream.core.cancel;

/**
 * Thrown at a {@link CancellationToken#checkpoint() checkpoint} of long work that was asked to stop.
 * Callers that need to tell why (a user's cancel, a budget, a shutdown) subclass it; the library only
 * stops, frees what the loop held (every loop here runs inside try-with-resources) and lets it through.
 */
public class OperationCancelledException extends RuntimeException {
    public OperationCancelledException(String reason) {
        super(reason);
    }
}
