package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Topics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The whole pipeline in one process, with an in-memory queue where Kafka would be: the same
 * handlers and runners the services use, so a job can be run (and tested) without a broker.
 * Records are delivered in the order sent, one at a time.
 */
public final class InProcessPipeline implements AutoCloseable {
    private final Map<String, StageRunner> runners = new LinkedHashMap<>();
    private final Deque<Outgoing> queue = new ArrayDeque<>();
    private final List<Outgoing> sent = new ArrayList<>();
    private final JobCancellation control;

    private volatile Consumer<Outgoing> observer = record -> { };

    public InProcessPipeline(ArtifactStore store, JobLedger ledger, DatasetCache datasets, PipelineMetrics metrics) {
        this(store, ledger, datasets, metrics, JobLimits.defaults());
    }

    /** A pipeline whose intake holds jobs to {@code limits} (and their data roots). */
    public InProcessPipeline(ArtifactStore store, JobLedger ledger, DatasetCache datasets, PipelineMetrics metrics,
            JobLimits limits) {
        StageHandlers.byTopic(limits).forEach((topic, handler) -> runners.put(topic,
                new StageRunner("in-process-" + handler.name(), handler, store, ledger, datasets, this::enqueue, metrics)));
        control = new JobCancellation("in-process-control", ledger, this::enqueue, metrics);
    }

    /**
     * Shows {@code observer} every record as a stage sends it, before any stage receives it: events
     * as they happen, and each stage's input while its artifacts are still in the store.
     */
    public InProcessPipeline observe(Consumer<Outgoing> observer) {
        this.observer = observer;
        return this;
    }

    private void enqueue(Outgoing record) {
        synchronized (this) {
            sent.add(record);
            queue.add(record);
        }
        observer.accept(record);
    }

    /** Submits a job and delivers records until none are left; returns the job's result, if any. */
    public JobResult run(JobMessage job) {
        enqueue(new Outgoing(Topics.JOBS, job.jobId(), Json.toJson(job)));
        drain();
        return results().stream().filter(r -> r.jobId().equals(job.jobId())).findFirst().orElse(null);
    }

    /** Delivers a raw record value to a topic (for example a malformed one), then drains. */
    public void deliver(String topic, String value) {
        enqueue(new Outgoing(topic, null, value));
        drain();
    }

    private void drain() {
        while (true) {
            Outgoing next;
            synchronized (this) {
                next = queue.poll();
            }
            if (next == null) {
                return;
            }
            StageRunner runner = runners.get(next.topic());
            if (next.topic().equals(Topics.CONTROL)) {
                control.process(InboundRecord.inProcess(next.topic(), next.key(), next.value()));
            } else if (runner != null) {
                runner.process(InboundRecord.inProcess(next.topic(), next.key(), next.value()));
            }
        }
    }

    public synchronized List<Outgoing> sent(String topic) {
        return sent.stream().filter(o -> o.topic().equals(topic)).toList();
    }

    public List<JobResult> results() {
        return sent(Topics.RESULTS).stream().map(o -> Json.fromJson(o.value(), JobResult.class)).toList();
    }

    public List<JobEvent> events(String jobId) {
        return sent(Topics.EVENTS).stream().map(o -> Json.fromJson(o.value(), JobEvent.class))
                .filter(e -> e.jobId().equals(jobId)).toList();
    }

    @Override
    public void close() {
        runners.values().forEach(StageRunner::close);
    }
}
