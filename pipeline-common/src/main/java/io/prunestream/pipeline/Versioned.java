package io.prunestream.pipeline;

/**
 * A record of the Kafka contract. Services are upgraded one at a time, so every record says which
 * format it is written in and a reader refuses one it would misread instead of guessing.
 */
public interface Versioned {
    int CURRENT_FORMAT = 1;

    int formatVersion();

    static void requireSupported(int formatVersion, String recordName) {
        if (formatVersion != CURRENT_FORMAT) {
            String hint = formatVersion > CURRENT_FORMAT ? " (written by a newer PruneStream; upgrade this reader)" : "";
            throw new IllegalArgumentException(recordName + " has formatVersion " + formatVersion
                    + ", this build reads only formatVersion " + CURRENT_FORMAT + hint);
        }
    }
}
