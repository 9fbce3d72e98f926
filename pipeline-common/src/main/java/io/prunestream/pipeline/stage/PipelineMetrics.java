package io.prunestream.pipeline.stage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pipeline's own metrics, the same in every service so one Grafana dashboard reads them all
 * (Prometheus names: {@code prunestream_stage_messages_in_total}, {@code prunestream_stage_duration_seconds},
 * {@code prunestream_candidates_total}, {@code prunestream_errors_total}, {@code prunestream_last_job_*},
 * {@code prunestream_stage_running_seconds_*}).
 */
public final class PipelineMetrics {
    private final MeterRegistry registry;
    private final AtomicReference<Double> lastFlops = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> lastParams = new AtomicReference<>(Double.NaN);
    private final AtomicReference<Double> lastAccuracy = new AtomicReference<>(Double.NaN);

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("prunestream.last.job.flops", lastFlops, AtomicReference::get);
        registry.gauge("prunestream.last.job.params", lastParams, AtomicReference::get);
        registry.gauge("prunestream.last.job.accuracy", lastAccuracy, AtomicReference::get);
    }

    public static PipelineMetrics inMemory() {
        return new PipelineMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    void received(String stage) {
        counter("prunestream.stage.messages.in", "stage", stage).increment();
    }

    void sent(String stage, int messages) {
        counter("prunestream.stage.messages.out", "stage", stage).increment(messages);
    }

    void duplicate(String stage) {
        counter("prunestream.stage.duplicates", "stage", stage).increment();
    }

    void duration(String stage, Duration d) {
        Timer.builder("prunestream.stage.duration").tag("stage", stage).register(registry).record(d);
    }

    /**
     * Starts timing a stage that is in progress; stop the returned sample when it ends. The duration
     * timer only learns of a stage once it is over, so a job stuck in a stage would stay invisible to
     * it: the oldest running stage ({@code prunestream_stage_running_seconds_max}) is what an alert
     * on stuck jobs watches.
     */
    LongTaskTimer.Sample running(String stage) {
        return LongTaskTimer.builder("prunestream.stage.running").tag("stage", stage).register(registry).start();
    }

    void candidate(String decision) {
        counter("prunestream.candidates", "decision", decision).increment();
    }

    void error(String stage, String cause) {
        counter("prunestream.errors", "stage", stage, "cause", cause).increment();
    }

    void deadLetter() {
        counter("prunestream.dead.letters").increment();
    }

    void lastJob(double flops, double params, double accuracy) {
        lastFlops.set(flops);
        lastParams.set(params);
        lastAccuracy.set(accuracy);
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).tags(tags).register(registry);
    }
}
