package io.prunestream.pipeline.stage;

import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ImportanceCriterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.StageKind;
import java.util.Map;

/** Scores every prunable channel group with the job's criterion (the stage variant, else the spec's). */
public final class ScoreStage implements StageHandler {
    @Override
    public StageKind kind() {
        return StageKind.SCORE;
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        String name = message.stage().variantOr(message.spec().criterion());
        ImportanceCriterion criterion = Criteria.byName(name);
        ModelPackage model = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        DependencyGraph graph = DependencyGraph.of(model.graph());
        long start = System.nanoTime();
        Map<Integer, float[]> scores = criterion.scorePrunableGroups(
                ScoringContext.builder(model).graph(graph).seed(message.spec().seed()).build());
        double seconds = (System.nanoTime() - start) / 1e9;
        ArtifactRef ref = context.store().putBytes(message.jobId() + "/scores-" + criterion.name(),
                new ScoreArtifact(criterion.name(), scores).toBytes());
        return StageOutcome.forward(message.withArtifact(ArtifactRoles.SCORES, ref).advance(),
                Map.of("groups", (double) scores.size(), "scoringSeconds", seconds));
    }
}
