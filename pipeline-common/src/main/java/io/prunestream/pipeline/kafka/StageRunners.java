package io.prunestream.pipeline.kafka;

import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.stage.DatasetCache;
import io.prunestream.pipeline.stage.JobLedger;
import io.prunestream.pipeline.stage.JobLimits;
import io.prunestream.pipeline.stage.PipelineMetrics;
import io.prunestream.pipeline.stage.RecordSink;
import io.prunestream.pipeline.stage.StageHandler;
import io.prunestream.pipeline.stage.StageHandlers;
import io.prunestream.pipeline.stage.StageRunner;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the {@link StageRunner} for an input topic, wired to this service's store, ledger, data,
 * metrics and Kafka. A service is then a class whose {@code @Incoming @Blocking} methods hand each
 * consumed record ({@link KafkaInbound}) to its runner: decoding, dead letters, idempotency, job limits,
 * time limits, error results and events are the runner's business.
 *
 * <p>How the consumers are configured for stages that run for minutes (see each service's
 * {@code application.properties}): SmallRye polls Kafka on its own polling thread and, when its
 * buffer of {@code max.poll.records × max-queue-size-factor} records is full, pauses the partitions
 * and goes on polling; so a slow {@code @Blocking} method never delays {@code poll()} and
 * {@code max.poll.interval.ms} (kept at Kafka's 5 minutes) does not cost the consumer its group
 * membership. The throttled commit strategy, however, reports a fatal failure (channel closed,
 * liveness DOWN) once a record has waited {@code throttled.unprocessed-record-max-age.ms} (default
 * 60 s) for its acknowledgement; a fine-tuning stage takes longer than that, and its bound is the
 * job's own stage time limit, which the runner enforces (it returns, with an error result, once the
 * limit is past). The services therefore disable that check. They also fetch one record per poll
 * ({@code max.poll.records=1}): with stages minutes long, fetching hundreds of records ahead buys
 * nothing, and the buffer then holds no more than a couple behind the one in progress.
 * Sources: SmallRye Reactive Messaging 4.33 {@code KafkaRecordStreamSubscription} (pause/resume),
 * {@code KafkaThrottledLatestProcessedCommit} and {@code KafkaSource#reportFailure} (fatal age check),
 * and its "Receiving Kafka Records" guide.
 */
@ApplicationScoped
public class StageRunners {
    private final String service;
    private final ArtifactStore store;
    private final JobLedger ledger;
    private final DatasetCache datasets;
    private final RecordSink sink;
    private final PipelineMetrics metrics;
    private final JobLimits limits;
    private final List<StageRunner> created = new CopyOnWriteArrayList<>();
    private final Duration shutdownGrace;

    @Inject
    public StageRunners(@ConfigProperty(name = "quarkus.application.name") String service, ArtifactStore store,
            JobLedger ledger, DatasetCache datasets, RecordSink sink, PipelineMetrics metrics, JobLimits limits,
            @ConfigProperty(name = "prunestream.shutdown.grace", defaultValue = "PT5S") Duration shutdownGrace) {
        this.service = service;
        this.store = store;
        this.ledger = ledger;
        this.datasets = datasets;
        this.sink = sink;
        this.metrics = metrics;
        this.limits = limits;
        this.shutdownGrace = shutdownGrace;
    }

    /** The runner for records of one input topic ({@link io.prunestream.pipeline.Topics}). */
    public StageRunner forTopic(String topic) {
        StageHandler handler = StageHandlers.byTopic(limits).get(topic);
        if (handler == null) {
            throw new IllegalArgumentException("no stage consumes topic '" + topic + "' (stages consume: "
                    + String.join(", ", StageHandlers.byTopic().keySet()) + ")");
        }
        StageRunner runner = new StageRunner(service, handler, store, ledger, datasets, sink, metrics);
        created.add(runner);
        return runner;
    }

    /**
     * Before the messaging channels stop (the lowest priority value runs first): every stage in
     * progress stops at its next batch and its record is handed back to Kafka uncommitted, within
     * {@code prunestream.shutdown.grace} (default 5 s, which keeps a SIGTERM'd service well inside
     * Kubernetes' and {@code prunectl up}'s 10 s).
     */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        created.forEach(StageRunner::beginShutdown);
        long deadline = System.nanoTime() + shutdownGrace.toNanos();
        created.forEach(runner -> runner.awaitHandedBack(deadline));
    }

    @PreDestroy
    void close() {
        created.forEach(StageRunner::close);
    }
}
