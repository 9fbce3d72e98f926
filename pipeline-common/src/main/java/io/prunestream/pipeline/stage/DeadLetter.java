package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.Topics;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dead-letter record for a consumed record no stage can use: under the record's own key, with
 * its value and headers saying why ({@code error}), who gave up on it ({@code service}) and where it
 * came from ({@code topic}, {@code partition}, {@code offset}), plus {@code job-id} when one could be
 * read. A person can then find the original, and a producer can find its own records by key.
 */
final class DeadLetter {
    /**
     * Values above this are cut down to {@link #KEPT_CHARS}: a record that only just fitted the
     * broker's limit (about 1 MB by default, more where a topic allows it) would not fit again with
     * our headers added, and a dead letter that cannot be sent would block its partition for good.
     */
    static final int MAX_VALUE_BYTES = 512 * 1024;
    static final int KEPT_CHARS = 64 * 1024;

    private DeadLetter() {}

    static Outgoing of(InboundRecord record, String service, String cause, String jobId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("error", cause);
        headers.put("service", service);
        headers.put("topic", String.valueOf(record.topic()));
        headers.put("partition", String.valueOf(record.partition()));
        headers.put("offset", String.valueOf(record.offset()));
        if (jobId != null) {
            headers.put("job-id", jobId);
        }
        String value = record.value() == null ? "" : record.value();
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            headers.put("value-truncated-from-bytes", String.valueOf(bytes));
            int end = KEPT_CHARS;
            if (Character.isHighSurrogate(value.charAt(end - 1))) {
                end--;
            }
            value = value.substring(0, end);
        }
        return new Outgoing(Topics.DEAD_LETTER, record.key(), value, headers);
    }
}
