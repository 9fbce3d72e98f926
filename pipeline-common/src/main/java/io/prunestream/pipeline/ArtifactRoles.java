package io.prunestream.pipeline;

/** Names under which a {@link JobMessage} carries its artifacts, so producer and consumer agree. */
public final class ArtifactRoles {
    /** The model as submitted. */
    public static final String MODEL = "model";
    /** Channel importance scores written by the scorer. */
    public static final String SCORES = "scores";
    /** A pruned model under evaluation. */
    public static final String CANDIDATE = "candidate";
    /** The accepted candidate after fine-tuning. */
    public static final String FINETUNED = "finetuned";

    /** Per-group keep ratios learned by {@code finetune:dsa}, for {@code prune:dsa} (JSON). */
    public static final String RATIOS = "ratios";
    /** The state of AOFP's search between pruner and evaluator (JSON). */
    public static final String SEARCH_STATE = "search-state";

    private ArtifactRoles() {}
}
