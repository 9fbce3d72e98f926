package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Submission;
import io.prunestream.pipeline.SubmissionSchema;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.pipeline.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The intake holds every submission to the service's limits and data roots before any stage runs. */
class JobIntakeTest {
    @TempDir
    Path dir;
    Path data;
    DirectoryArtifactStore store;
    final List<Outgoing> sent = new ArrayList<>();
    StageRunner intake;

    @BeforeEach
    void start() throws IOException {
        data = Files.createDirectories(dir.resolve("datasets/mnist"));
        Files.write(data.resolve("train-images-idx3-ubyte"), new byte[16]);
        Files.write(data.resolve("train-labels-idx1-ubyte"), new byte[8]);
        JobLimits limits = JobLimits.fromConfig(
                key -> key.equals("prunestream.limits.max-candidates") ? Optional.of("4") : Optional.empty(),
                new DataRoots(List.of(dir.resolve("datasets"))));
        store = new DirectoryArtifactStore(dir.resolve("store"));
        intake = new StageRunner("scorer-service", new JobIntake(limits), store, new JobLedger(dir.resolve("ledger")),
                new DatasetCache(), sent::add, PipelineMetrics.inMemory());
    }

    @AfterEach
    void stop() {
        intake.close();
    }

    @Test
    void jobOverALimitEndsWithAnErrorNamingTheLimitAndHowToRaiseIt() {
        JobResult result = submit("job-over", b -> b.candidates(1_000_000_000).datasetDir("/etc"));
        assertEquals(JobResult.Status.FAILED, result.status());
        assertEquals(JobIntake.NAME, result.failedStage());
        assertTrue(result.cause().contains("candidates is 1000000000, over this service's limit of 4"), result.cause());
        assertTrue(result.cause().contains("prunestream.limits.max-candidates"), result.cause());
        assertTrue(result.cause().contains("datasetDir '/etc' is outside the data roots of this service ("
                + dir.resolve("datasets") + ")"), result.cause());
        assertTrue(sent.stream().noneMatch(o -> o.topic().equals(Topics.SCORE)), "nothing reaches the scorer");
    }

    @Test
    void jobWithinTheLimitsGoesToItsFirstStage() {
        ArtifactRef model = store.putModel("uploads/lenet", ModelZoo.create("lenet", 3));
        JobMessage job = JobMessage.start("job-ok", spec(model).candidates(4).datasetDir(data.toString()).build());
        intake.process(InboundRecord.inProcess(Topics.JOBS, job.jobId(), Json.toJson(job)));
        assertTrue(sent.stream().anyMatch(o -> o.topic().equals(Topics.SCORE) && o.key().equals("job-ok")),
                () -> "sent: " + sent);
        assertTrue(sent.stream().noneMatch(o -> o.topic().equals(Topics.RESULTS)), () -> "sent: " + sent);
    }

    @Test
    void aSubmissionBecomesTheJobsFirstMessage() {
        ArtifactRef model = store.putModel("uploads/lenet", ModelZoo.create("lenet", 3));
        String submission = Json.toJson(Submission.of("sub-1", new Submission.ModelReference(store.uri(model),
                model.size(), model.sha256()), spec(model).candidates(3).datasetDir(data.toString()).build()));
        intake.process(new InboundRecord(null, submission, Topics.JOBS, 0, 5,
                Map.of(SubmissionSchema.CONTENT_TYPE_HEADER, SubmissionSchema.CONTENT_TYPE)));
        Outgoing first = sent.stream().filter(o -> o.topic().equals(Topics.SCORE)).findFirst()
                .orElseThrow(() -> new AssertionError("sent: " + sent));
        JobMessage job = Json.fromJson(first.value(), JobMessage.class);
        assertEquals("sub-1", first.key());
        assertEquals(JobMessage.start("sub-1", spec(model).candidates(3).datasetDir(data.toString()).build()), job);
    }

    @Test
    void everyViolationOfASubmissionComesBackInOneResultUnderTheIdItWouldHaveHad() {
        String value = "{\"submissionVersion\": 1, \"model\": {\"uri\": \"m.zip\", \"size\": -1, \"sha256\": \"x\"},"
                + " \"targetFraction\": 2, \"candidates\": 0, \"routingSlip\": \"score\"}";
        intake.process(new InboundRecord(null, value, Topics.JOBS, 0, 17));
        List<JobResult> results = results();
        assertEquals(1, results.size(), () -> "sent: " + sent);
        JobResult result = results.get(0);
        assertEquals("prune.jobs-0-17", result.jobId());
        for (String problem : List.of("model.size", "model.sha256", "targetFraction", "candidates", "'routingSlip'")) {
            assertTrue(result.cause().contains(problem), problem + " in " + result.cause());
        }
        assertTrue(sent.stream().anyMatch(o -> o.topic().equals(Topics.DEAD_LETTER)), () -> "sent: " + sent);
    }

    @Test
    void aSubmissionNamingAnotherStoreIsToldWhichStoreThisIs() {
        String value = Json.toJson(Submission.of("sub-s3", new Submission.ModelReference("s3://bucket/m.zip", 3,
                "a".repeat(64)), JobSpec.builder().build()));
        intake.process(new InboundRecord(null, value, Topics.JOBS, 0, 1));
        assertTrue(results().get(0).cause().contains("'s3://bucket/m.zip' names another store"), () -> "sent: " + sent);
    }

    @Test
    void aContentTypeTheIntakeDoesNotReadIsRefusedSayingWhichItReads() {
        intake.process(new InboundRecord("job-avro", "\u0000\u0000\u0000\u0000\u0001binary", Topics.JOBS, 0, 2,
                Map.of(SubmissionSchema.CONTENT_TYPE_HEADER, "application/avro")));
        assertTrue(results().get(0).cause().contains("content-type 'application/avro' is not one this intake reads: "
                + SubmissionSchema.CONTENT_TYPE), () -> "sent: " + sent);
    }

    private List<JobResult> results() {
        return sent.stream().filter(o -> o.topic().equals(Topics.RESULTS))
                .map(o -> Json.fromJson(o.value(), JobResult.class)).toList();
    }

    private JobResult submit(String jobId, UnaryOperator<JobSpec.Builder> edit) {
        JobMessage job = JobMessage.start(jobId, edit.apply(spec(new ArtifactRef("uploads/m.zip", 1, "a".repeat(64))))
                .build());
        intake.process(InboundRecord.inProcess(Topics.JOBS, jobId, Json.toJson(job)));
        return sent.stream().filter(o -> o.topic().equals(Topics.RESULTS)).map(o -> Json.fromJson(o.value(),
                JobResult.class)).filter(r -> r.jobId().equals(jobId)).findFirst().orElseThrow(() ->
                new AssertionError("no result for " + jobId + "; sent: " + sent));
    }

    private static JobSpec.Builder spec(ArtifactRef model) {
        return JobSpec.builder().model(model).targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1")
                .allocation("uniform").methodOptions(Map.of());
    }
}
