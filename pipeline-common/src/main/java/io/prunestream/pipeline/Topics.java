package io.prunestream.pipeline;

import java.util.List;

/**
 * Kafka topic names of the pipeline. Every record is keyed by job id, so all messages of one job land
 * in one partition and stay in order.
 */
public final class Topics {
    /** Submissions: a {@link JobSpec} per record, turned into the first {@link JobMessage} of a job. */
    public static final String JOBS = "prune.jobs";
    public static final String SCORE = "prune.score";
    public static final String PRUNE = "prune.prune";
    public static final String EVALUATE = "prune.evaluate";
    public static final String FINETUNE = "prune.finetune";
    /** Progress and stage metrics ({@link JobEvent}) for {@code watch} and dashboards. */
    public static final String EVENTS = "prune.events";
    /** One {@link JobResult} per job: the final report or the error that ended it. */
    public static final String RESULTS = "prune.results";
    /** Records no service could decode or handle; kept for a human rather than dropped. */
    public static final String DEAD_LETTER = "prune.dead-letter";

    /** Instructions about running jobs ({@link ControlMessage}: cancel), keyed by job id. */
    public static final String CONTROL = "prune.control";

    /** Every topic the pipeline uses, for tools that create them up front. */
    public static final List<String> ALL =
            List.of(JOBS, SCORE, PRUNE, EVALUATE, FINETUNE, EVENTS, RESULTS, DEAD_LETTER, CONTROL);

    private Topics() {}

    /** The input topic of the service that handles stages of this kind. */
    public static String forStage(StageKind kind) {
        return switch (kind) {
            case SCORE -> SCORE;
            case PRUNE -> PRUNE;
            case EVALUATE -> EVALUATE;
            case FINETUNE -> FINETUNE;
        };
    }

    public static String forStage(Stage stage) {
        return forStage(stage.kind());
    }

    /** Accepts a stage in its text form, with or without variant: {@code score}, {@code prune:global}. */
    public static String forStage(String stage) {
        return forStage(Stage.parse(stage));
    }
}
