package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.core.model.PackageIO;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The producer examples of docs/PRODUCERS.md, run as a producer runs them: another process, no shared
 * folder, only the intake's HTTP port and the broker. Each uploads a VGG-small package (LeNet cannot lose half its FLOPs at the default round-to of 8), writes one
 * submission on prune.jobs and waits for its result on prune.results; the job is tiny (200 training
 * images, no fine-tuning). A missing tool skips its example, saying what to install; with CI=true it
 * fails instead, since .ci/run installs them.
 */
@ExtendWith(EndToEndPipeline.class)
class ProducerExamplesEndToEndTest {
    private static final long TIMEOUT_SECONDS = 480;
    private static Path modelZip;

    @BeforeAll
    static void writeModel() throws IOException {
        modelZip = Files.createTempFile("producer-vgg", ".zip");
        PackageIO.saveZip(ModelZoo.create("vgg-small", 5), modelZip);
    }

    @Test
    void theKcatExampleSubmitsAndReceivesItsResult() throws Exception {
        requireTool("kcat and curl", "apt-get install kcat curl", commandWorks("kcat", "-V") && commandWorks("curl", "--version"));
        String jobId = "kcat-" + JobIds.newId();
        Run run = run(List.of("bash", example("submit-with-kcat.sh").toString(), modelZip.toString(), jobId),
                List.of("INTAKE=" + EndToEndPipeline.intakeUrl(), "BOOTSTRAP=" + EndToEndPipeline.bootstrap(),
                        "TIMEOUT_SECONDS=" + TIMEOUT_SECONDS));
        assertSucceeded(run, jobId);
    }

    @Test
    void thePythonExampleSubmitsAndReceivesItsResult() throws Exception {
        Optional<String> python = List.of("/usr/bin/python3", "python3").stream()
                .filter(candidate -> commandWorks(candidate, "-c", "import confluent_kafka")).findFirst();
        requireTool("a python3 with confluent_kafka", "apt-get install python3-confluent-kafka", python.isPresent());
        String jobId = "py-" + JobIds.newId();
        Run run = run(List.of(python.get(), example("submit_with_python.py").toString(), modelZip.toString(), jobId,
                "--intake", EndToEndPipeline.intakeUrl(), "--bootstrap", EndToEndPipeline.bootstrap(),
                "--timeout", String.valueOf(TIMEOUT_SECONDS)), List.of());
        assertSucceeded(run, jobId);
    }

    @Test
    void prunectlSubmitIsAProducerLikeTheOthers(@org.junit.jupiter.api.io.TempDir Path unshared) {
        // A work dir of its own: the model reaches the pipeline by upload only, as it would from another machine.
        PrunectlCommandsTest.Run submitted = PrunectlCommandsTest.run("submit", "--model", modelZip.toString(),
                "--intake", EndToEndPipeline.intakeUrl(), "--bootstrap", EndToEndPipeline.bootstrap(),
                "--work-dir", unshared.toString(), "--allocation", "uniform", "--max-rounds", "1",
                "--finetune-epochs", "0", "--train-limit", "200", "--held-out-limit", "100", "--test-limit", "100",
                "--calibration-batches", "2", "--stage-timeout", "300", "--budget", "900");
        assertEquals(0, submitted.exit(), submitted.err());
        String jobId = submitted.out().strip();
        try (java.util.stream.Stream<Path> files = Files.walk(unshared)) {
            assertEquals(List.of(unshared), files.toList(), "submit wrote into its work dir");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        JobResult result = new PipelineClient(EndToEndPipeline.bootstrap())
                .watch(jobId, java.time.Duration.ofSeconds(TIMEOUT_SECONDS), event -> {});
        assertEquals(JobResult.Status.SUCCEEDED, result.status(), result::cause);
        assertTrue(result.report().achievedFraction() <= 0.5, "achieved " + result.report().achievedFraction());
    }

    private static void assertSucceeded(Run run, String jobId) {
        assertEquals(0, run.exit(), () -> "exit " + run.exit() + "\nstdout: " + run.out() + "\nstderr: " + run.err());
        String last = run.out().strip().lines().reduce((a, b) -> b).orElse("");
        JobResult result = Json.fromJson(last, JobResult.class);
        assertEquals(jobId, result.jobId());
        assertEquals(JobResult.Status.SUCCEEDED, result.status(), result::cause);
        assertTrue(result.report().achievedFraction() <= 0.5, "achieved " + result.report().achievedFraction());
    }

    private static Path example(String name) {
        return EndToEndPipeline.projectRoot().resolve("docs/examples").resolve(name);
    }

    private static void requireTool(String what, String install, boolean present) {
        String message = what + " not found: " + install;
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(present, message + " (.ci/run installs it)");
        }
        assumeTrue(present, message);
    }

    private static boolean commandWorks(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(List<String> command, List<String> environment) throws Exception {
        Path out = Files.createTempFile("producer", ".out");
        Path err = Files.createTempFile("producer", ".err");
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile())
                .redirectError(err.toFile());
        for (String setting : environment) {
            int eq = setting.indexOf('=');
            builder.environment().put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS + 60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Run(process.isAlive() ? -1 : process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
