package io.prunestream.evaluator;

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
 * The evaluator service: judges candidates on held-out data (after adaptive BN), loops rejected
 * rounds back to the pruner, and measures the fine-tuned winner for the job's final report.
 */
@ApplicationScoped
public class EvaluatorService {
    private final StageRunner runner;

    @Inject
    public EvaluatorService(StageRunners runners) {
        this.runner = runners.forTopic(Topics.EVALUATE);
    }

    /** Returns once the outputs are acknowledged by the broker; only then is this record committed. */
    @Incoming("evaluate")
    @Blocking
    public void onEvaluateRequest(ConsumerRecord<String, String> record) {
        runner.process(KafkaInbound.of(record));
    }
}
