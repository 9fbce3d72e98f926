package io.prunestream.testkit;

import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.AcceptanceRule;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.stage.DatasetCache;
import io.prunestream.pipeline.stage.JobLedger;
import io.prunestream.pipeline.stage.Outgoing;
import io.prunestream.pipeline.stage.PipelineMetrics;
import io.prunestream.pipeline.stage.StageHandler;
import io.prunestream.pipeline.stage.StageHandlers;
import io.prunestream.pipeline.stage.StageRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Jobs for service tests: a fresh model in the service's own store, a spec sized for seconds per stage
 * on two cores, and realistic stage inputs made by running the real stages up to the one under test.
 * Stages that train or evaluate read Fashion-MNIST: check for it first with pruning-core's test
 * helper {@code io.prunestream.core.testing.RequiredData} (fails on CI, skips elsewhere).
 */
public final class SampleJobs {
    /** Has batch norm, so the evaluator's adaptive BN has work to do; about 30 MFLOP per image. */
    public static final String ARCHITECTURE = "vgg-small";

    private SampleJobs() {}

    /**
     * The standard slip ({@code score:l1 -> prune:uniform -> evaluate:adaptive-bn -> finetune ->
     * evaluate:final}), half the FLOPs, one candidate judged best-of-n, on tiny Fashion-MNIST subsets.
     */
    public static JobSpec.Builder tinySpec(ArtifactRef model) {
        return JobSpec.builder().model(model).targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1")
                .allocation("uniform").candidates(1).acceptance(AcceptanceRule.bestOfN()).maxRounds(1)
                .finetuneEpochs(1).learningRate(0.01).trainImages(200).heldOutImages(100).testImages(100)
                .calibrationBatches(2).seed(7).stageTimeoutSeconds(120);
    }

    /** A new job on a fresh {@value #ARCHITECTURE} in {@code store}, as a user submits it to {@code prune.jobs}. */
    public static JobMessage submission(ArtifactStore store) {
        String jobId = JobIds.newId();
        ArtifactRef model = store.putModel(jobId + "/submitted", ModelZoo.create(ARCHITECTURE, 7));
        return JobMessage.start(jobId, tinySpec(model).build());
    }

    /**
     * Takes a job through the real stage handlers in this process, as the services would, and returns
     * the first message sent to {@code topic}. Artifacts go to {@code store}; the ledger is a scratch
     * one, so the service under test sees the unit of work as new.
     *
     * @throws AssertionError if the job ends (with a result) before reaching the topic
     */
    public static JobMessage advancedTo(String topic, JobMessage job, ArtifactStore store) {
        Path ledgerDir;
        try {
            ledgerDir = Files.createTempDirectory("prunestream-sample-ledger");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Map<String, StageHandler> handlers = StageHandlers.byTopic();
            JobLedger ledger = new JobLedger(ledgerDir);
            DatasetCache datasets = new DatasetCache();
            PipelineMetrics metrics = PipelineMetrics.inMemory();
            Deque<Outgoing> pending = new ArrayDeque<>();
            pending.add(new Outgoing(Topics.JOBS, job.jobId(), Json.toJson(job)));
            while (!pending.isEmpty()) {
                Outgoing next = pending.poll();
                if (next.topic().equals(topic)) {
                    return Json.fromJson(next.value(), JobMessage.class);
                }
                if (next.topic().equals(Topics.RESULTS)) {
                    throw new AssertionError("job " + job.jobId() + " ended before reaching " + topic + ": "
                            + next.value());
                }
                StageHandler handler = handlers.get(next.topic());
                if (handler != null) {
                    try (StageRunner runner = new StageRunner("sample-jobs", handler, store, ledger, datasets,
                            pending::add, metrics)) {
                        runner.process(next.value());
                    }
                }
            }
            throw new AssertionError("job " + job.jobId() + " never reached " + topic);
        } finally {
            InJvmKafkaResource.deleteRecursively(ledgerDir);
        }
    }
}
