package io.prunestream.finetune;

import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.kafka.KafkaInbound;
import io.prunestream.pipeline.kafka.StageRunners;
import io.prunestream.pipeline.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The finetune service: fine-tunes the accepted candidate. */
@ApplicationScoped
public class FinetuneService {
    private final StageRunner runner;

    @Inject
    public FinetuneService(StageRunners runners) {
        this.runner = runners.forTopic(Topics.FINETUNE);
    }

    /** Returns once the outputs are acknowledged by the broker; only then is this record committed. */
    @Incoming("finetune")
    @Blocking
    public void onFinetuneRequest(ConsumerRecord<String, String> record) {
        runner.process(KafkaInbound.of(record));
    }
}
