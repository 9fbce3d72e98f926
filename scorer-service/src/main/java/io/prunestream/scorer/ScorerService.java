package io.prunestream.scorer;

import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.kafka.KafkaInbound;
import io.prunestream.pipeline.kafka.StageRunners;
import io.prunestream.pipeline.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The scorer: takes submissions from {@code prune.jobs} (checks each whole job up front and sends it
 * to its first stage) and scores channel importance for records on {@code prune.score}. The intake
 * lives here because scoring is the first stage of a standard job.
 */
@ApplicationScoped
public class ScorerService {
    private final StageRunner intake;
    private final StageRunner scoring;

    @Inject
    public ScorerService(StageRunners runners) {
        this.intake = runners.forTopic(Topics.JOBS);
        this.scoring = runners.forTopic(Topics.SCORE);
    }

    /** Returns once the job's next record is acknowledged by the broker; only then is this one committed. */
    @Incoming("jobs")
    @Blocking
    public void onSubmission(ConsumerRecord<String, String> record) {
        intake.process(KafkaInbound.of(record));
    }

    @Incoming("score")
    @Blocking
    public void onScoreRequest(ConsumerRecord<String, String> record) {
        scoring.process(KafkaInbound.of(record));
    }
}
