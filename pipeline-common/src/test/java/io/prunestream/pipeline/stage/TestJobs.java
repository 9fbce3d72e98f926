package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.core.allocation.TargetKind;

/** A valid job spec for runner tests whose handlers never read the model. */
final class TestJobs {
    private TestJobs() {}

    static JobSpec.Builder spec() {
        return JobSpec.builder().model(new ArtifactRef("uploads/m.zip", 1, "a".repeat(64))).targetKind(TargetKind.FLOPS)
                .targetFraction(0.5).criterion("l1").allocation("uniform").stageTimeoutSeconds(600);
    }
}
