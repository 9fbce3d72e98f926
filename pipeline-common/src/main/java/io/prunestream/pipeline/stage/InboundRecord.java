package io.prunestream.pipeline.stage;

import java.util.Map;

/**
 * One consumed record as the {@link StageRunner} needs it: the value to decode, plus the key and
 * position it came from, so that a record the runner cannot use is dead-lettered under its own key
 * and can be found again in its source topic.
 *
 * @param key the record key (a job id when producers follow the contract); may be {@code null}
 * @param value the record value; may be {@code null} (a tombstone) or anything else a producer wrote
 * @param partition {@value #UNKNOWN} when the record did not come from Kafka
 * @param offset {@value #UNKNOWN} when the record did not come from Kafka
 * @param headers the record's headers as text, the last value of a repeated name
 */
public record InboundRecord(String key, String value, String topic, int partition, long offset,
        Map<String, String> headers) {
    public static final int UNKNOWN = -1;

    public InboundRecord {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public InboundRecord(String key, String value, String topic, int partition, long offset) {
        this(key, value, topic, partition, offset, Map.of());
    }

    /** A record handed over in-process (tests, {@link InProcessPipeline}): no partition or offset. */
    public static InboundRecord inProcess(String topic, String key, String value) {
        return new InboundRecord(key, value, topic, UNKNOWN, UNKNOWN);
    }

    /** Where the record came from, as a person looks it up: {@code prune.jobs[0]@17}. */
    public String position() {
        return partition == UNKNOWN ? topic : topic + "[" + partition + "]@" + offset;
    }
}
