package io.prunestream.pipeline.stage;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.evaluation.AdaptiveBatchNorm;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Op;
import io.prunestream.core.train.Evaluator;
import io.prunestream.pipeline.AcceptanceRule;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Stage;
import io.prunestream.pipeline.StageKind;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges candidates on the held-out split of the training data (never the test set), after
 * recalibrating their BN statistics (variant {@code adaptive-bn}, the default: moving average from
 * the sliced statistics; {@code adaptive-bn-cumulative}: reset, then exact moments) or as they are
 * ({@code plain}). A round is decided once all its candidates are in: the best goes on to fine-tuning
 * if the job's rule accepts it; otherwise the job loops back to the pruner for new candidates until
 * {@code maxRounds}, after which the best candidate seen is kept and the report says the rule was not
 * met. The {@code final} variant is {@link FinalEvaluation}; {@code aofp} is the evaluator's side of
 * AOFP's search ({@link AofpEvaluation}).
 */
public final class EvaluateStage implements StageHandler {
    /** One handler per slip variant: the only list of them, which intake validates slips against. */
    /** The variant a slip's evaluate stage without one runs. */
    static final String DEFAULT_VARIANT = "adaptive-bn";

    private static final Map<String, StageHandlerFunction> VARIANT_HANDLERS = new java.util.LinkedHashMap<>();

    static {
        VARIANT_HANDLERS.put("adaptive-bn", (m, c) -> evaluateCandidate(m, c, AdaptiveBatchNorm.Mode.EMA));
        VARIANT_HANDLERS.put("adaptive-bn-cumulative", (m, c) -> evaluateCandidate(m, c,
                AdaptiveBatchNorm.Mode.CUMULATIVE));
        VARIANT_HANDLERS.put("plain", (m, c) -> evaluateCandidate(m, c, null));
        VARIANT_HANDLERS.put(AofpPruning.VARIANT, (m, c) -> new AofpEvaluation().handle(m, c));
        VARIANT_HANDLERS.put("final", (m, c) -> new FinalEvaluation().handle(m, c));
    }

    /** The variants this stage runs. */
    static final java.util.Set<String> VARIANTS = java.util.Collections.unmodifiableSet(VARIANT_HANDLERS.keySet());

    @Override
    public StageKind kind() {
        return StageKind.EVALUATE;
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        return VARIANT_HANDLERS.get(StageVariants.require(message.stage(), message.spec())).handle(message, context);
    }

    /** {@code recalibration} null judges the candidate with the statistics surgery left it. */
    private static StageOutcome evaluateCandidate(JobMessage message, StageContext context, AdaptiveBatchNorm.Mode recalibration) {
        JobSpec spec = message.spec();
        Judged judged = judge(message, context, recalibration);
        double baseline = judged.baseline();
        Map<String, Double> values = judged.values();
        List<CandidateRecord> round = records(message, context, roundFolder(message.round()));
        if (round.size() < spec.candidates()
                || !context.ledger().claim(message.jobId(), "decision/round-" + message.round())) {
            return StageOutcome.waiting(values);
        }
        return decide(message, context, round, baseline);
    }

    /** A candidate's held-out accuracy, recorded in the ledger, and the baseline's. */
    record Judged(CandidateRecord record, double baseline, Map<String, Double> values) {}

    /**
     * Recalibrates the message's candidate (unless {@code recalibration} is null), scores it on the
     * held-out split, records it for its round and reports it; deciding is left to the caller.
     */
    static Judged judge(JobMessage message, StageContext context, AdaptiveBatchNorm.Mode recalibration) {
        JobSpec spec = message.spec();
        ModelPackage candidate = context.store().loadModel(message.artifact(ArtifactRoles.CANDIDATE));
        DataSplits data = context.datasets().forJob(spec, candidate.spec());
        Evaluator evaluator = new Evaluator();
        double baseline = baselineAccuracy(message, context, data, evaluator);
        ArtifactRef judged = message.artifact(ArtifactRoles.CANDIDATE);
        if (recalibration != null && candidate.spec().nodes().stream().anyMatch(n -> n.op() == Op.BATCHNORM)) {
            candidate = new AdaptiveBatchNorm(spec.calibrationBatches(), AdaptiveBatchNorm.DEFAULT_BATCH_SIZE,
                    recalibration).recalibrate(candidate, data.train(), spec.seed() + message.round());
            // Fine-tuning starts from the recalibrated statistics, as in EagleEye.
            judged = context.store().putModel(message.jobId() + "/r" + message.round() + "-candidate"
                    + message.candidate() + "-abn", candidate);
        }
        context.deadline().check();
        double accuracy = evaluator.evaluate(candidate, data.heldOut()).accuracy();
        CandidateRecord record = new CandidateRecord(message.round(), message.candidate(), accuracy, judged,
                message.candidateMetrics());
        context.ledger().put(message.jobId(), roundFolder(message.round()) + "/candidate-" + message.candidate(),
                record.toJson());
        Map<String, Double> values = Map.of("heldOutAccuracy", accuracy, "baselineHeldOutAccuracy", baseline);
        context.progress(message, String.format("candidate %d of round %d: held-out accuracy %.4f (baseline %.4f)",
                message.candidate(), message.round(), accuracy, baseline), values);
        return new Judged(record, baseline, values);
    }

    private static StageOutcome decide(JobMessage message, StageContext context, List<CandidateRecord> round, double baseline) {
        JobSpec spec = message.spec();
        CandidateRecord best = round.stream().max(Comparator.comparingDouble(CandidateRecord::accuracy)).orElseThrow();
        AcceptanceRule rule = spec.acceptance();
        double floor = baseline - rule.maxAccuracyDrop() / 100.0;
        boolean accepted = rule.rule() == AcceptanceRule.Rule.BEST_OF_N || best.accuracy() >= floor;
        Map<String, Double> values = Map.of("acceptedAccuracy", best.accuracy(), "round", (double) message.round());
        if (accepted) {
            context.events().emit(event(message, context, JobEvent.Type.COMPLETED, String.format(
                    "round %d: candidate %d accepted (held-out %.4f, baseline %.4f)", message.round(), best.candidate(),
                    best.accuracy(), baseline)));
            return StageOutcome.forward(accept(message, best, baseline), values);
        }
        String why = String.format("round %d: best held-out accuracy %.4f is below baseline %.4f - %.2f pts",
                message.round(), best.accuracy(), baseline, rule.maxAccuracyDrop());
        for (CandidateRecord r : round) {
            context.events().emit(event(message, context, JobEvent.Type.REJECTED,
                    "candidate " + r.candidate() + " of round " + r.round() + " rejected").withValue("heldOutAccuracy",
                    r.accuracy()));
        }
        if (message.mayLoopBack()) {
            Stage prune = Stage.parse(context.ledger().get(message.jobId(), "prune-stage").orElse("prune"));
            context.events().emit(event(message, context, JobEvent.Type.LOOPED_BACK,
                    why + "; back to " + prune + " for new candidates (round " + (message.round() + 1) + ")"));
            return StageOutcome.forward(message.withCandidate(0).loopBack(why, prune, message.stage()), values);
        }
        CandidateRecord overall = allRecords(message, context).stream()
                .max(Comparator.comparingDouble(CandidateRecord::accuracy)).orElseThrow();
        String note = why + "; rule not met after " + spec.maxRounds() + " rounds, keeping the best candidate seen"
                + String.format(" (round %d, held-out %.4f)", overall.round(), overall.accuracy());
        context.events().emit(event(message, context, JobEvent.Type.COMPLETED, note));
        return StageOutcome.forward(accept(message, overall, baseline).withNote(note), values);
    }

    static JobMessage accept(JobMessage message, CandidateRecord chosen, double baseline) {
        Map<String, Double> metrics = new LinkedHashMap<>(chosen.metrics());
        metrics.put("heldOutAccuracy", chosen.accuracy());
        return message.withCandidate(chosen.candidate()).withArtifact(ArtifactRoles.CANDIDATE, chosen.model())
                .withCandidateMetrics(metrics).withBaselineMetrics(Map.of("heldOutAccuracy", baseline)).advance();
    }

    /** The submitted model's held-out accuracy, measured once per job and shared by all candidates. */
    private static double baselineAccuracy(JobMessage message, StageContext context, DataSplits data, Evaluator evaluator) {
        return context.ledger().get(message.jobId(), "baseline-heldout").map(Double::parseDouble).orElseGet(() -> {
            double acc = evaluator.evaluate(context.store().loadModel(ArtifactRoles.submitted(message)),
                    data.heldOut()).accuracy();
            context.ledger().put(message.jobId(), "baseline-heldout", Double.toString(acc));
            return acc;
        });
    }

    static List<CandidateRecord> allRecords(JobMessage message, StageContext context) {
        return java.util.stream.IntStream.rangeClosed(0, message.round())
                .mapToObj(r -> records(message, context, roundFolder(r))).flatMap(List::stream).toList();
    }

    private static List<CandidateRecord> records(JobMessage message, StageContext context, String folder) {
        return context.ledger().list(message.jobId(), folder).values().stream().map(CandidateRecord::fromJson).toList();
    }

    static String roundFolder(int round) {
        return "eval/round-" + round;
    }

    private static JobEvent event(JobMessage message, StageContext context, JobEvent.Type type, String text) {
        return JobEvent.of(message.jobId(), message.stage().toString(), type, text, context.service());
    }
}
