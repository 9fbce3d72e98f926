package io.prunestream.cli;

import java.io.UncheckedIOException;

/** Turns exceptions into the one line a user reads; the message of our own exceptions is that line. */
final class UserErrors {
    private UserErrors() {}

    static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof UncheckedIOException && t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName() + " (run with -Dprunectl.trace=true for details)";
        }
        return message;
    }
}
