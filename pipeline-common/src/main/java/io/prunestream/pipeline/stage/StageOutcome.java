package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import java.util.List;
import java.util.Map;

/**
 * What a stage produced: messages for the next stages (each goes to the topic of its slip's current
 * stage), the job's final result when the stage ended it, and metric values for the COMPLETED event.
 */
public record StageOutcome(List<JobMessage> next, JobResult result, Map<String, Double> values) {
    public StageOutcome {
        next = List.copyOf(next);
        values = values == null ? Map.of() : Map.copyOf(values);
    }

    public static StageOutcome forward(JobMessage next, Map<String, Double> values) {
        return new StageOutcome(List.of(next), null, values);
    }

    public static StageOutcome finished(JobResult result, Map<String, Double> values) {
        return new StageOutcome(List.of(), result, values);
    }

    /** Nothing to send yet: for example a candidate evaluated while the rest of its round is pending. */
    public static StageOutcome waiting(Map<String, Double> values) {
        return new StageOutcome(List.of(), null, values);
    }
}
