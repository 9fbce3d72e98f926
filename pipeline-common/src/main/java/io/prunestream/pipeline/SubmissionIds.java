package io.prunestream.pipeline;

import java.util.Optional;

/**
 * The job id of a submission that names none. It must come out the same when Kafka delivers the
 * record again (at-least-once), or a redelivery would start a second job; so it is made from what
 * the record is, not drawn at random: the record key when that is a valid id, else the record's
 * position ({@code prune.jobs-<partition>-<offset>}), which the producer's delivery report gives it.
 */
public final class SubmissionIds {
    private SubmissionIds() {}

    /**
     * @param partition negative for a record that did not come from Kafka, which then gets a fresh
     *     {@link JobIds#newId()}: nothing can deliver it twice
     */
    public static String assign(String valueJobId, String key, String topic, int partition, long offset) {
        return Optional.ofNullable(valueJobId).filter(JobIds::isValid)
                .or(() -> Optional.ofNullable(key).filter(JobIds::isValid))
                .orElseGet(() -> partition < 0 ? JobIds.newId() : topic + "-" + partition + "-" + offset);
    }
}
