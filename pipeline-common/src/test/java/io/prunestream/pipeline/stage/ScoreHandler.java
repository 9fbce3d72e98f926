package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.StageKind;
import java.util.function.BiFunction;

/** A score-stage handler whose work a test writes as a lambda. */
record ScoreHandler(BiFunction<JobMessage, StageContext, StageOutcome> work) implements StageHandler {
    @Override
    public StageKind kind() {
        return StageKind.SCORE;
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        return work.apply(message, context);
    }
}
