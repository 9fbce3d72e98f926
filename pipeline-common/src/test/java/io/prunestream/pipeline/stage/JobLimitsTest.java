package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import io.prunestream.core.allocation.TargetKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobLimitsTest {
    @TempDir
    Path dir;
    Path root;
    JobLimits limits;

    @BeforeEach
    void createRoot() throws IOException {
        root = Files.createDirectories(dir.resolve("datasets"));
        limits = JobLimits.defaults(new DataRoots(List.of(root)));
    }

    @Test
    void everyDefaultLetsTheUsualJobsThrough() {
        assertEquals(List.of(), limits.check(job(b -> b)));
        // prunectl's defaults and a full Fashion-MNIST fine-tune of a few epochs.
        assertEquals(List.of(), limits.check(job(b -> b.candidates(8).maxRounds(3).finetuneEpochs(30)
                .trainImages(54_000).heldOutImages(6_000).testImages(10_000).stageTimeoutSeconds(1800)
                .option(MethodOptions.DSA_STEPS, 200))));
    }

    @Test
    void eachLimitIsNamedWithTheValueTheLimitAndHowToRaiseIt() {
        List<String> problems = limits.check(job(b -> b.candidates(1_000_000_000).maxRounds(1_000_000)
                .finetuneEpochs(1_000_000).trainImages(10_000_000).heldOutImages(50_000).testImages(50_000)
                .calibrationBatches(100_000).stageTimeoutSeconds(Integer.MAX_VALUE)
                .option(MethodOptions.EAGLEEYE_MAX_DRAWS, 10_000_000).option(MethodOptions.GAL_STEPS, 1e7)));
        assertEquals(10, problems.size(), problems.toString());
        assertTrue(problems.contains("candidates is 1000000000, over this service's limit of 16 (pruned candidates per"
                + " round; raise it with prunestream.limits.max-candidates, env PRUNESTREAM_LIMITS_MAX_CANDIDATES)"),
                problems.get(0));
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("method option eagleeye.max-draws is 10000000")
                && p.contains("prunestream.limits.max-option.eagleeye.max-draws")
                && p.contains("PRUNESTREAM_LIMITS_MAX_OPTION_EAGLEEYE_MAX_DRAWS")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("stageTimeoutSeconds is 2147483647")), problems.toString());
    }

    @Test
    void longSlipIsRefused() {
        String slip = String.join(" -> ", Collections.nCopies(10_000, "score:l1"));
        List<String> problems = limits.check(job(b -> b.routingSlip(slip)));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("the routing slip's stage count is 10000, over this service's limit of 32"),
                problems.get(0));
    }

    @Test
    void configurationReplacesDefaultsAndRefusesNonsense() {
        Map<String, String> config = Map.of("prunestream.limits.max-candidates", "4",
                "prunestream.limits.max-option.dsa.steps", "1_000", DataRoots.PROPERTY, " /a , /b/c ,");
        JobLimits configured = JobLimits.fromConfig(key -> Optional.ofNullable(config.get(key)), new DataRoots(List.of()));
        assertEquals(4, configured.max(JobLimits.CANDIDATES));
        assertEquals(1_000, configured.max(JobLimits.forOption(MethodOptions.DSA_STEPS).orElseThrow()));
        assertEquals(JobLimits.ROUNDS.defaultValue(), configured.max(JobLimits.ROUNDS));
        assertEquals(List.of(Path.of("/a"), Path.of("/b/c")), configured.dataRoots().roots());
        assertTrue(configured.check(job(b -> b.candidates(5))).get(0).contains("limit of 4"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JobLimits.fromConfig(
                key -> key.equals("prunestream.limits.max-rounds") ? Optional.of("lots") : Optional.empty(),
                new DataRoots(List.of())));
        assertTrue(e.getMessage().contains("prunestream.limits.max-rounds (env PRUNESTREAM_LIMITS_MAX_ROUNDS)"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> JobLimits.fromConfig(
                key -> key.equals("prunestream.limits.max-rounds") ? Optional.of("0") : Optional.empty(),
                new DataRoots(List.of())));
    }

    @Test
    void countOptionsHaveLimitsAndOthersDoNot() {
        assertTrue(JobLimits.forOption(MethodOptions.GAL_EPOCHS).isPresent());
        assertTrue(JobLimits.forOption(MethodOptions.DSA_LAMBDA).isEmpty());
        // A job that leaves an option out is held to its default, which every default limit allows.
        for (MethodOptions.Option option : MethodOptions.known().values()) {
            JobLimits.forOption(option).ifPresent(limit -> assertTrue(option.defaultValue() <= limit.defaultValue(),
                    option.key()));
        }
    }

    @Test
    void datasetMustLieInsideARootExistAndHoldIdxFiles() throws IOException {
        Path good = idxFolder(root.resolve("fashion"));
        assertEquals(Optional.empty(), dataRoots().problem(good.toString()));
        assertEquals(Optional.empty(), dataRoots().problem(null), "no datasetDir: the service's default");

        assertProblem("/etc", "is outside the data roots of this service (" + root + "); put the data under one of"
                + " them, or add its folder to prunestream.data-roots (env PRUNESTREAM_DATA_ROOTS)");
        assertProblem(root + "/../../etc", "is outside the data roots");
        assertProblem("datasets/fashion", "must be an absolute path");
        assertProblem(root.resolve("missing").toString(), "is not a folder on the service (data roots: " + root + ")");
        Files.createDirectories(root.resolve("empty"));
        assertProblem(root.resolve("empty").toString(), "holds no usable dataset");
        assertProblem("/data\0/x", "is not a valid path");
    }

    @Test
    void symbolicLinkMayNotLeadOutOfTheRoots() throws IOException {
        Path outside = idxFolder(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(root.resolve("link"), outside);
        assertProblem(link.toString(), "through a symbolic link");

        // A root that is itself a link (datasets are often installed behind one) is followed.
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-root"), root);
        Path inside = idxFolder(root.resolve("mnist"));
        DataRoots viaLink = new DataRoots(List.of(linkedRoot));
        assertEquals(Optional.empty(), viaLink.problem(linkedRoot.resolve("mnist").toString()));
        assertEquals(Optional.empty(), viaLink.problem(inside.toString()));
    }

    private DataRoots dataRoots() {
        return limits.dataRoots();
    }

    private void assertProblem(String datasetDir, String expected) {
        Optional<String> problem = dataRoots().problem(datasetDir);
        assertTrue(problem.isPresent() && problem.get().contains(expected), datasetDir + ": " + problem);
        assertTrue(limits.check(job(b -> b.datasetDir(datasetDir))).contains(problem.get()));
    }

    private static Path idxFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.write(folder.resolve("train-images-idx3-ubyte"), new byte[16]);
        Files.write(folder.resolve("train-labels-idx1-ubyte"), new byte[8]);
        return folder;
    }

    private static JobMessage job(UnaryOperator<JobSpec.Builder> edit) {
        JobSpec.Builder spec = JobSpec.builder().model(new ArtifactRef("uploads/m.zip", 1, "a".repeat(64)))
                .targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1").allocation("uniform");
        return JobMessage.start("job-1", edit.apply(spec).build());
    }
}
