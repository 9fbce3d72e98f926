package io.prunestream.pipeline.kafka;

import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.stage.JobCancellation;
import io.prunestream.pipeline.stage.JobLedger;
import io.prunestream.pipeline.stage.PipelineMetrics;
import io.prunestream.pipeline.stage.RecordSink;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Every service takes part in reading {@link Topics#CONTROL}: one consumer group for all of them
 * ({@code prunestream-control}, in this module's {@code META-INF/microprofile-config.properties}), so
 * each cancel is handled once, by whichever replica of whichever service holds its partition, and
 * stays handled while any service runs. Stages in every process learn of it through the shared ledger
 * ({@link JobCancellation}). A channel of its own, so a cancel is never queued behind a stage's work.
 */
@ApplicationScoped
public class ControlConsumer {
    private final JobCancellation cancellation;

    @Inject
    public ControlConsumer(@ConfigProperty(name = "quarkus.application.name") String service, JobLedger ledger,
            RecordSink sink, PipelineMetrics metrics) {
        this.cancellation = new JobCancellation(service, ledger, sink, metrics);
    }

    /** Returns once the cancel is recorded and its result acknowledged; only then is the record committed. */
    @Incoming("control")
    @Blocking
    public void onControl(ConsumerRecord<String, String> record) {
        cancellation.process(KafkaInbound.of(record));
    }
}
