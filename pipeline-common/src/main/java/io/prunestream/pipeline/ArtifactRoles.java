package io.prunestream.pipeline;

/** Names under which a {@link JobMessage} carries its artifacts, so producer and consumer agree. */
public final class ArtifactRoles {
    /** The model as submitted. */
    public static final String MODEL = "model";
    /** Channel importance scores written by the scorer. */
    public static final String SCORES = "scores";
    /** A pruned model under evaluation. */
    public static final String CANDIDATE = "candidate";
    /**
     * The model as the user submitted it, kept here when a training stage before scoring (finetune:sparse,
     * finetune:gal) puts its trained model under {@link #MODEL} for the scorer and pruner; reports and
     * acceptance compare against this one. Absent when no stage replaced the model.
     */
    public static final String SUBMITTED = "submitted";
    /** GAL's soft masks (one array per channel group), which prune:mask turns into a cut. */
    public static final String MASKS = "masks";
    /** The accepted candidate after fine-tuning. */
    public static final String FINETUNED = "finetuned";

    /** Per-group keep ratios learned by {@code finetune:dsa}, for {@code prune:dsa} (JSON). */
    public static final String RATIOS = "ratios";
    /** The state of AOFP's search between pruner and evaluator (JSON). */
    public static final String SEARCH_STATE = "search-state";

    private ArtifactRoles() {}

    /** The model the job started from: {@link #SUBMITTED} when a stage replaced {@link #MODEL}, else MODEL. */
    public static ArtifactRef submitted(JobMessage message) {
        return message.artifacts().containsKey(SUBMITTED) ? message.artifact(SUBMITTED) : message.artifact(MODEL);
    }

    /**
     * {@code message} with {@code trained} as the model later stages score and prune, the submitted
     * model kept under {@link #SUBMITTED} (only the first replacement records it).
     */
    public static JobMessage replaceModel(JobMessage message, ArtifactRef trained) {
        JobMessage kept = message.artifacts().containsKey(SUBMITTED) ? message
                : message.withArtifact(SUBMITTED, message.artifact(MODEL));
        return kept.withArtifact(MODEL, trained);
    }
}
