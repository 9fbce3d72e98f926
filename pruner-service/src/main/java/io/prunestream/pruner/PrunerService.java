package io.prunestream.pruner;

import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.kafka.KafkaInbound;
import io.prunestream.pipeline.kafka.StageRunners;
import io.prunestream.pipeline.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The pruner service: cuts channels of the scored model into pruned candidates. */
@ApplicationScoped
public class PrunerService {
    private final StageRunner runner;

    @Inject
    public PrunerService(StageRunners runners) {
        this.runner = runners.forTopic(Topics.PRUNE);
    }

    /** Returns once the outputs are acknowledged by the broker; only then is this record committed. */
    @Incoming("prune")
    @Blocking
    public void onPruneRequest(ConsumerRecord<String, String> record) {
        runner.process(KafkaInbound.of(record));
    }
}
