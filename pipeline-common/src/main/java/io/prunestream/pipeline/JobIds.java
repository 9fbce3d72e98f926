package io.prunestream.pipeline;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * Job ids. They become parts of artifact paths and idempotency keys, so ids arriving in messages are
 * held to a path-safe alphabet and a bounded length before anything uses them.
 */
public final class JobIds {
    public static final int MAX_LENGTH = 64;
    /** No leading dot: "." and ".." must never be an id, and hidden files are not wanted either. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0," + (MAX_LENGTH - 1) + "}");
    private static final String RANDOM_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final int RANDOM_CHARS = 6;
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {}

    /** {@code job-<millis base 36>-<6 random chars>}: sorts roughly by submission time, collisions negligible. */
    public static String newId() {
        StringBuilder id = new StringBuilder("job-").append(Long.toString(System.currentTimeMillis(), 36)).append('-');
        for (int i = 0; i < RANDOM_CHARS; i++) {
            id.append(RANDOM_ALPHABET.charAt(RANDOM.nextInt(RANDOM_ALPHABET.length())));
        }
        return id.toString();
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** Returns the id unchanged, or throws naming the rule it breaks. */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("job id '" + id + "' is not valid: use 1-" + MAX_LENGTH
                    + " characters from A-Z a-z 0-9 . _ - , not starting with '.'");
        }
        return id;
    }
}
