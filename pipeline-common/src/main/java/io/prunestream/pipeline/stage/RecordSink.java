package io.prunestream.pipeline.stage;

import java.time.Instant;
import java.util.Optional;

/**
 * Where stages send records. Implementations return only once the broker has acknowledged the
 * record: a stage marks its work done after its outputs are safe, never before.
 */
@FunctionalInterface
public interface RecordSink {
    void send(Outgoing record);

    /**
     * Whether a record with this key reached {@code topic} at or after {@code since}, as far as this
     * sink can tell; empty when it cannot. Asked only when a process died while sending a job's result,
     * to decide whether to send it again ({@link OneResult}).
     */
    default Optional<Boolean> wasSent(String topic, String key, Instant since) {
        return Optional.empty();
    }
}
