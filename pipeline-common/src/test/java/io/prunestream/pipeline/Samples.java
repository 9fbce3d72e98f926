package io.prunestream.pipeline;

import io.prunestream.core.allocation.TargetKind;

import java.util.List;
import java.util.Map;

/** Records with every field set, for round-trip tests. */
final class Samples {
    static final String SHA_A = "a".repeat(64);
    static final String SHA_B = "0123456789abcdef".repeat(4);

    private Samples() {}

    static ArtifactRef ref(String path) {
        return new ArtifactRef(path, 1234, SHA_A);
    }

    static JobSpec fullSpec() {
        return JobSpec.builder()
                .model(ref("uploads/lenet-0123456789abcdef.zip"))
                .targetKind(TargetKind.PARAMS)
                .targetFraction(0.4)
                .criterion("fpgm")
                .allocation("eagleeye")
                .candidates(4)
                .acceptance(AcceptanceRule.tolerance(0.5))
                .maxRounds(5)
                .minChannels(2)
                .roundTo(16)
                .finetuneEpochs(3)
                .learningRate(0.05)
                .datasetDir("/data/mnist")
                .trainImages(2000)
                .heldOutImages(500)
                .testImages(1000)
                .calibrationBatches(20)
                .seed(7)
                .stageTimeoutSeconds(600)
                .routingSlip("score:fpgm -> prune:eagleeye -> evaluate:adaptive-bn -> finetune -> evaluate:final")
                .build();
    }

    static JobMessage fullMessage() {
        return JobMessage.start("job-1", fullSpec())
                .withArtifact(ArtifactRoles.SCORES, new ArtifactRef("job-1/scores-0123456789abcdef.json", 99, SHA_B))
                .withBaselineMetrics(Map.of("accuracy", 0.91))
                .withCandidateMetrics(Map.of("accuracy", 0.85, "flops", 1.2e6))
                .withNote("round 0: conv2 pruned too hard")
                .withCandidate(2)
                .retry();
    }

    static JobReport report() {
        return new JobReport(0.91, 0.905, 8_500_000, 4_100_000, 61_000, 30_000,
                new JobReport.Latency(0.8, 40.0), new JobReport.Latency(0.5, 21.5), TargetKind.FLOPS, 0.5,
                0.482, 2, 6, Map.of("score:l1", 1200L, "prune:uniform", 300L), Map.of("l1", 0.41, "taylor", 0.63));
    }

    static List<Object> everyRecord() {
        return List.of(ref("a/b.zip"), fullSpec(), fullMessage(),
                JobEvent.of("job-1", "finetune", JobEvent.Type.PROGRESS, "epoch 1", "finetune-service")
                        .withValue("loss", 0.31).withValues(Map.of("epoch", 1, "accuracy", 0.88)),
                JobResult.succeeded("job-1", ref("job-1/final-0123456789abcdef.zip"), report()),
                JobResult.failed("job-2", "prune:aofp", "no channel group left to prune"));
    }
}
