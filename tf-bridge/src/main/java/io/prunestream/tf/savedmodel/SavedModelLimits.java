package io.prunestream.tf.savedmodel;

/**
 * Size limits checked on every file of a SavedModel folder before anything reads it: a SavedModel
 * is untrusted input, and a huge graph or checkpoint must fail fast rather than exhaust memory.
 *
 * @param maxGraphBytes {@code saved_model.pb}, which holds the graph (and constants)
 * @param maxVariableFileBytes each file under {@code variables/}
 * @param maxOtherFileBytes any other file (metadata, fingerprint, assets)
 * @param maxTotalBytes the whole folder
 * @param maxFiles files and folders in the whole folder
 */
public record SavedModelLimits(long maxGraphBytes, long maxVariableFileBytes, long maxOtherFileBytes,
        long maxTotalBytes, int maxFiles) {

    /** Generous for CNNs (ResNet-152 is about 240 MB) and far below what would hurt a 24 GiB machine. */
    public static final SavedModelLimits DEFAULT =
            new SavedModelLimits(512L << 20, 2L << 30, 64L << 20, 4L << 30, 10_000);

    public SavedModelLimits {
        if (maxGraphBytes <= 0 || maxVariableFileBytes <= 0 || maxOtherFileBytes <= 0 || maxTotalBytes <= 0
                || maxFiles <= 0) {
            throw new IllegalArgumentException("SavedModel limits must be positive");
        }
        if (maxGraphBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("saved_model.pb limit cannot exceed 2 GiB (protobuf's own limit)");
        }
    }
}
