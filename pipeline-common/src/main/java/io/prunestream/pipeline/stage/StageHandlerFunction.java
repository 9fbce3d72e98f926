package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobMessage;

/** What one variant of a stage does with a record: the entries of a stage's variant table. */
@FunctionalInterface
interface StageHandlerFunction {
    StageOutcome handle(JobMessage message, StageContext context);
}
