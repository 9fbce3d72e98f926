package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.testing.RequiredData;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.testing.InJvmS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prunectl up --store s3://...}: the four services keep every artifact in S3-compatible storage
 * (a real S3 API server in this JVM), and a job submitted from a folder of its own, by upload,
 * comes back with its result, while only the ledger, logs and the services' read cache land in the work dir.
 */
class UpOnS3Test {
    /** Away from `prunectl up`'s 8081-8084, the end-to-end tests' offset 300 and UpShutdownTest's 400. */
    private static final int PORT_OFFSET = 500;

    @TempDir
    Path work;
    @TempDir
    Path buckets;
    @TempDir
    Path producer;

    @Test
    void aJobRunsWithEveryArtifactInS3() throws Exception {
        Path data = RequiredData.fashionMnist();
        try (InJvmS3 s3 = new InJvmS3(buckets, "prunestream")) {
            UpProcess up = UpProcess.start(List.of("--work-dir", work.toString(), "--port-offset",
                    String.valueOf(PORT_OFFSET), "--data", data.toString(), "--store", "s3://prunestream/jobs"),
                    Map.of("PRUNESTREAM_S3_ENDPOINT", s3.endpoint().toString(),
                            "AWS_ACCESS_KEY_ID", InJvmS3.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", InJvmS3.SECRET_KEY));
            try {
                assertTrue(up.output().stream().anyMatch(l -> l.contains("artifacts in s3://prunestream/jobs")),
                        String.join("\n", up.output()));
                String intake = "http://localhost:" + (ServiceLauncher.SERVICES.get("scorer-service") + PORT_OFFSET);
                PrunectlCommandsTest.Run submitted = PrunectlCommandsTest.run("submit", "--model", "zoo:vgg-small",
                        "--intake", intake, "--bootstrap", up.bootstrap(), "--work-dir", producer.toString(),
                        "--allocation", "uniform", "--max-rounds", "1", "--finetune-epochs", "0",
                        "--train-limit", "200", "--held-out-limit", "100", "--test-limit", "100",
                        "--calibration-batches", "2", "--stage-timeout", "300");
                assertEquals(0, submitted.exit(), submitted.err());
                String jobId = submitted.out().strip();

                JobResult result = new PipelineClient(up.bootstrap()).watch(jobId, Duration.ofMinutes(8), e -> {});

                assertEquals(JobResult.Status.SUCCEEDED, result.status(), result::cause);
                // Intermediates (the pruned candidate, scores) go right after the result is sent; what stays is in S3.
                Path jobs = buckets.resolve("prunestream").resolve("jobs");
                try {
                    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                            .until(() -> zips(jobs).size() == 2);
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("only the upload and the delivered model should stay: " + zips(jobs), e);
                }
                List<Path> kept = zips(jobs);
                assertTrue(kept.stream().anyMatch(z -> z.endsWith(result.model().path())), result.model() + " in " + kept);
                // The services keep a local read cache of what they fetched (s3-cache); nothing else is stored there.
                assertEquals(List.of(), zips(work).stream().filter(z -> !z.startsWith(work.resolve("s3-cache"))).toList(),
                        "artifacts written to the work dir");
            } finally {
                up.process().destroy();
                up.process().waitFor();
            }
        }
    }

    private static List<Path> zips(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.toString().endsWith(".zip")).toList();
        }
    }
}
