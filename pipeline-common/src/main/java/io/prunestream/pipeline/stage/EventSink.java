package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobEvent;

/** Progress of a running stage, sent at once (not when the stage ends) so {@code watch} sees it live. */
@FunctionalInterface
public interface EventSink {
    void emit(JobEvent event);
}
