package io.prunestream.pipeline.stage;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.grading.CriterionGrader;
import io.prunestream.core.grading.GradingReport;
import io.prunestream.core.importance.OracleCriterion;
import io.prunestream.pipeline.Json;
import java.util.LinkedHashMap;
import java.util.List;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ImportanceCriterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.StageKind;
import java.util.Map;

/**
 * Scores every prunable channel group with the job's criterion (the stage variant, else the spec's).
 * Data-driven criteria read a seeded sample of the job's training split.
 */
public final class ScoreStage implements StageHandler {
    /** Images a data-driven criterion sees: enough for stable activation statistics, cheap for the oracle. */
    static final int SCORING_SAMPLE = 256;
    /** Images the oracle grading sees: it removes every channel once, so it costs far more per image. */
    static final int GRADING_SAMPLE = 64;
    /**
     * Images the oracle measures on when a job asks for grading (fewer if the training split is small):
     * enough for per-layer grades to mean something (an oracle from 128 images agrees with one from
     * 10,000 at ρ ≈ 0.4, from 1024 at ≈ 0.75), few enough for the scorer to finish in minutes.
     */
    static final int GRADING_ORACLE_SAMPLE = 1024;

    @Override
    public StageKind kind() {
        return StageKind.SCORE;
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        String name = StageVariants.require(message.stage(), message.spec());
        ImportanceCriterion criterion = Criteria.byName(name);
        ModelPackage model = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        DependencyGraph graph = DependencyGraph.of(model.graph());
        ScoringContext.Builder scoring = ScoringContext.builder(model).graph(graph).seed(message.spec().seed());
        if (criterion.needsData()) {
            ImageDataset train = context.datasets().forJob(message.spec(), model.spec()).train();
            scoring.calibration(train.sample(SCORING_SAMPLE, message.spec().seed()), 64);
        }
        long start = System.nanoTime();
        Map<Integer, float[]> scores = criterion.scorePrunableGroups(scoring.build());
        double seconds = (System.nanoTime() - start) / 1e9;
        if (message.spec().grading()) {
            grade(message, context, model);
        }
        ArtifactRef ref = context.store().putBytes(message.jobId() + "/scores-" + criterion.name(),
                new ScoreArtifact(criterion.name(), scores).toBytes());
        return StageOutcome.forward(message.withArtifact(ArtifactRoles.SCORES, ref).advance(),
                Map.of("groups", (double) scores.size(), "scoringSeconds", seconds));
    }

    /** Grades every criterion but the oracle against the oracle; the final report carries the result. */
    private static void grade(JobMessage message, StageContext context, ModelPackage model) {
        ImageDataset train = context.datasets().forJob(message.spec(), model.spec()).train();
        List<ImageDataset> samples = CriterionGrader.disjointSamples(train,
                Math.max(1, Math.min(GRADING_ORACLE_SAMPLE, train.size() - GRADING_SAMPLE)), GRADING_SAMPLE,
                message.spec().seed() + 1);
        List<ImportanceCriterion> criteria = Criteria.names().stream().filter(n -> !n.equals(OracleCriterion.NAME))
                .map(Criteria::byName).toList();
        GradingReport report = new CriterionGrader(32, new OracleCriterion(),
                line -> context.progress(message, "grading: " + line, Map.of())).grade(model, samples.get(0), samples.get(1),
                criteria,
                message.spec().seed());
        Map<String, Double> grades = new LinkedHashMap<>();
        report.criteria().stream().filter(g -> g.perLayer() != null && g.perLayer().mean() != null)
                .forEach(g -> grades.put(g.criterion(), g.perLayer().mean()));
        context.ledger().put(message.jobId(), GRADES_RECORD, Json.toJson(grades));
        context.progress(message, "grading done: mean per-layer Spearman with the oracle per criterion", grades);
    }

    /** The ledger record holding the job's criterion grades (criterion → Spearman). */
    static final String GRADES_RECORD = "criterion-grades";
}
