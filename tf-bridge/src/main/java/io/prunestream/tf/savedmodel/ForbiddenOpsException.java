package io.prunestream.tf.savedmodel;

import io.prunestream.core.model.ModelFormatException;
import java.util.List;

/** A SavedModel refused for safety: it holds ops outside {@link OpAllowList}, named in the message. */
public class ForbiddenOpsException extends ModelFormatException {
    private final List<String> ops;

    public ForbiddenOpsException(String message, List<String> ops) {
        super(message);
        this.ops = List.copyOf(ops);
    }

    /** The forbidden op types, sorted. */
    public List<String> ops() {
        return ops;
    }
}
