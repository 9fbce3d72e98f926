package io.prunestream.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Store paths ("keys"): how a logical name becomes one, and which keys from messages are acceptable.
 * Both stores use the same rules, so a reference is valid in either.
 */
final class StoreKeys {
    private static final Pattern UNSAFE_CHARS = Pattern.compile("[^A-Za-z0-9._-]");
    private static final int MAX_SEGMENT = 100;
    /** Enough of the checksum to keep different contents of one name apart. */
    private static final int CHECKSUM_CHARS = 16;

    private StoreKeys() {}

    /**
     * The key for content stored under {@code name}: the sanitised name with part of the checksum
     * before its extension, e.g. {@code job-1/scores-0123456789abcdef.json}. Content addressing makes
     * puts idempotent and keeps every content a message ever referred to.
     *
     * @param defaultExtension used when the name has none ({@code .zip} for packed folders)
     */
    static String contentKey(String name, String sha256, String defaultExtension) {
        String safe = sanitize(name);
        int slash = safe.lastIndexOf('/');
        int dot = safe.lastIndexOf('.');
        boolean hasExtension = dot > slash + 1;
        String base = hasExtension ? safe.substring(0, dot) : safe;
        String extension = hasExtension ? safe.substring(dot) : defaultExtension;
        return base + "-" + sha256.substring(0, CHECKSUM_CHARS) + extension;
    }

    /** Makes any name usable as a key: safe characters only, no empty, hidden or parent segments. */
    static String sanitize(String name) {
        if (name == null) {
            throw new IllegalArgumentException("artifact name is missing");
        }
        List<String> segments = new ArrayList<>();
        for (String raw : name.split("[/\\\\]")) {
            String segment = UNSAFE_CHARS.matcher(raw.trim()).replaceAll("_");
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            segment = hideNoDots(segment);
            segments.add(segment.length() > MAX_SEGMENT ? segment.substring(0, MAX_SEGMENT) : segment);
        }
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("artifact name '" + name + "' has nothing usable as a file name");
        }
        return String.join("/", segments);
    }

    /** Leading dots become underscores: no ".." and no hidden files, yet names stay recognisable. */
    private static String hideNoDots(String segment) {
        int dots = 0;
        while (dots < segment.length() && segment.charAt(dots) == '.') {
            dots++;
        }
        return "_".repeat(dots) + segment.substring(dots);
    }

    /**
     * Checks a key taken from a message before any store touches it: relative, '/'-separated, no
     * empty, "." or ".." segments. The directory store additionally checks where symbolic links lead.
     */
    static String requireRelative(String key, String store) {
        if (key == null || key.isEmpty()) {
            throw rejected(key, store, "it is empty");
        }
        if (key.startsWith("/")) {
            throw rejected(key, store, "it is absolute; artifact paths are relative to the store");
        }
        if (key.contains("\\") || key.indexOf('\0') >= 0) {
            throw rejected(key, store, "it contains a backslash or NUL character; separate with '/'");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..")) {
                throw rejected(key, store, "'..' would leave the store");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw rejected(key, store, "it has an empty or '.' segment");
            }
        }
        return key;
    }

    static ArtifactException rejected(String key, String store, String why) {
        return new ArtifactException(ArtifactException.Reason.PATH_REJECTED,
                "artifact path '" + key + "' rejected by " + store + ": " + why);
    }
}
