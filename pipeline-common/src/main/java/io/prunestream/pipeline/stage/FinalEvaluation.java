package io.prunestream.pipeline.stage;

import ai.djl.engine.Engine;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.CostReport;
import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.Evaluator;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobReport;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.core.allocation.TargetKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job's last stage: test-set accuracy of the submitted and the delivered model, their FLOPs,
 * parameters and measured latency, the rounds and candidates it took and the time each stage spent.
 */
final class FinalEvaluation {
    StageOutcome handle(JobMessage message, StageContext context) {
        long start = System.nanoTime();
        JobSpec spec = message.spec();
        ModelPackage original = context.store().loadModel(ArtifactRoles.submitted(message));
        ArtifactRef deliveredRef = message.artifacts().containsKey(ArtifactRoles.FINETUNED)
                ? message.artifact(ArtifactRoles.FINETUNED) : message.artifact(ArtifactRoles.CANDIDATE);
        ModelPackage delivered = context.store().loadModel(deliveredRef);
        DataSplits data = context.datasets().forJob(spec, original.spec());
        Evaluator evaluator = new Evaluator();
        double before = evaluator.evaluate(original, data.test()).accuracy();
        double after = evaluator.evaluate(delivered, data.test()).accuracy();
        context.deadline().check();
        CostReport costBefore = CostModel.of(original.spec());
        CostReport costAfter = CostModel.of(delivered.spec());
        // Measured together, so a busy moment of a shared node slows both rather than skewing the comparison.
        Map<String, List<LatencyMeter.Latency>> latency = new LatencyMeter(2, 5, Engine.getInstance().defaultDevice())
                .measureTogether(Map.of("submitted", original, "delivered", delivered));
        JobReport.Latency latencyBefore = latency(latency.get("submitted"));
        JobReport.Latency latencyAfter = latency(latency.get("delivered"));
        double achieved = spec.targetKind() == TargetKind.FLOPS
                ? (double) costAfter.macs() / costBefore.macs() : (double) costAfter.params() / costBefore.params();

        Map<String, Long> durations = stageDurations(message, context);
        durations.merge(message.stage().toString(), (System.nanoTime() - start) / 1_000_000, Long::sum);
        JobReport report = new JobReport(before, after, costBefore.macs(), costAfter.macs(), costBefore.params(),
                costAfter.params(), latencyBefore, latencyAfter, spec.targetKind(), spec.targetFraction(), achieved,
                message.round() + 1, EvaluateStage.allRecords(message, context).size(), durations,
                criterionGrades(message, context));
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("testAccuracyBefore", before);
        values.put("testAccuracyAfter", after);
        values.put("flopsAfter", (double) costAfter.macs());
        values.put("paramsAfter", (double) costAfter.params());
        values.put("achievedFraction", achieved);
        return StageOutcome.finished(JobResult.succeeded(message.jobId(), deliveredRef, report), values);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Double> criterionGrades(JobMessage message, StageContext context) {
        return context.ledger().get(message.jobId(), ScoreStage.GRADES_RECORD)
                .map(json -> (Map<String, Double>) io.prunestream.pipeline.Json.fromJson(json, Map.class))
                .orElse(Map.of());
    }

    private static JobReport.Latency latency(List<LatencyMeter.Latency> measured) {
        return new JobReport.Latency(measured.get(0).medianMs(), measured.get(1).medianMs());
    }

    /** Wall time per stage name, summed over candidates and rounds, in the order stages first ran. */
    static Map<String, Long> stageDurations(JobMessage message, StageContext context) {
        Map<String, Long> out = new LinkedHashMap<>();
        context.ledger().list(message.jobId(), "durations").values().stream()
                .map(line -> line.split(" ", 3))
                .sorted(java.util.Comparator.comparingLong(parts -> Long.parseLong(parts[0])))
                .forEach(parts -> out.merge(parts[2], Long.parseLong(parts[1]), Long::sum));
        return out;
    }
}
