package io.prunestream.pipeline;

import io.prunestream.core.model.ModelFormatException;
import io.prunestream.core.model.PackageIO;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Takes a model package zip from a producer (the intake's {@code POST /models}), checks that it loads
 * as a package (with every check {@link PackageIO#load} makes: entries, graph, weight shapes,
 * finite values), stores it, and answers with the reference a submission names it by. A producer
 * then needs no access to the store itself.
 */
public final class ModelUploads {
    /** What an upload may weigh unless configured otherwise ({@code prunestream.upload.max-bytes}). */
    public static final long DEFAULT_MAX_BYTES = 100L << 20;
    private static final String UPLOADS = "uploads/";

    private final ArtifactStore store;
    private final long maxBytes;

    public ModelUploads(ArtifactStore store, long maxBytes) {
        this.store = store;
        this.maxBytes = maxBytes;
    }

    /** Why an upload was refused, and whether it was too large (HTTP 413) or not a package (400). */
    public static final class Rejected extends RuntimeException {
        private final boolean tooLarge;

        Rejected(String message, boolean tooLarge) {
            super(message);
            this.tooLarge = tooLarge;
        }

        public boolean tooLarge() {
            return tooLarge;
        }
    }

    /**
     * @param name what to call it in the store (sanitised there); {@code null} for "model"
     * @throws Rejected for an upload over the limit or one that is not a loadable package zip
     */
    public Submission.ModelReference accept(InputStream body, String name) {
        byte[] content = readAtMost(body);
        Path scratch = null;
        try {
            scratch = Files.createTempFile("prunestream-upload", ".zip");
            Files.write(scratch, content);
            try {
                PackageIO.load(scratch);
            } catch (ModelFormatException | IllegalArgumentException e) {
                throw new Rejected("not a PruneStream model package zip (model.json and weights.safetensors at "
                        + "its root): " + String.valueOf(e.getMessage()).replace(scratch.toString(), "the upload"), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the upload: " + e.getMessage(), e);
        } finally {
            deleteQuietly(scratch);
        }
        String stem = name == null || name.isBlank() ? "model" : name.strip().replaceAll("\\.zip$", "");
        ArtifactRef ref = store.putBytes(UPLOADS + stem + ".zip", content);
        return new Submission.ModelReference(store.uri(ref), ref.size(), ref.sha256());
    }

    private byte[] readAtMost(InputStream body) {
        try {
            byte[] content = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxBytes + 1));
            if (content.length > maxBytes) {
                throw new Rejected("the upload is over this service's limit of " + maxBytes + " bytes (raise it with "
                        + "prunestream.upload.max-bytes, env PRUNESTREAM_UPLOAD_MAX_BYTES)", true);
            }
            if (content.length == 0) {
                throw new Rejected("the upload is empty: send the package zip as the request body", false);
            }
            return content;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the upload: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temporary file is not worth failing an upload over.
            }
        }
    }
}
