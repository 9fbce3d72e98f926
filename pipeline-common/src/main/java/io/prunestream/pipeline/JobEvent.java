package io.prunestream.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something a service reports about a job on {@link Topics#EVENTS}: progress for {@code watch},
 * numbers for dashboards. Events are informative only; no service acts on them.
 *
 * @param stage the stage in its text form ({@code prune:global}), or a service's own step name
 * @param values numbers worth plotting: loss, accuracy, epoch, flops, ...
 * @param timestamp epoch milliseconds
 * @param service the name of the reporting service
 */
public record JobEvent(
        int formatVersion,
        String jobId,
        String stage,
        Type type,
        String message,
        Map<String, Double> values,
        long timestamp,
        String service)
        implements Versioned {

    public enum Type {
        STARTED,
        PROGRESS,
        COMPLETED,
        REJECTED,
        LOOPED_BACK,
        FAILED,
        RESULT
    }

    public JobEvent {
        Versioned.requireSupported(formatVersion, "JobEvent");
        JobIds.requireValid(jobId);
        Objects.requireNonNull(stage, "JobEvent stage");
        Objects.requireNonNull(type, "JobEvent type");
        values = Copies.map(values, "JobEvent values");
    }

    /** An event stamped now, without values. */
    public static JobEvent of(String jobId, String stage, Type type, String message, String service) {
        return new JobEvent(CURRENT_FORMAT, jobId, stage, type, message, Map.of(), System.currentTimeMillis(), service);
    }

    public JobEvent withValue(String name, double value) {
        return withValues(Map.of(name, value));
    }

    public JobEvent withValues(Map<String, ? extends Number> more) {
        Map<String, Double> merged = new LinkedHashMap<>(values);
        more.forEach((name, value) -> merged.put(name, value.doubleValue()));
        return new JobEvent(formatVersion, jobId, stage, type, message, merged, timestamp, service);
    }
}
