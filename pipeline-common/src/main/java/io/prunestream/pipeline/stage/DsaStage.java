package io.prunestream.pipeline.stage;

import com.fasterxml.jackson.core.type.TypeReference;
import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.search.DsaTrainer;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.MethodOptions;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code finetune:dsa}: learns per-group keep ratios under the job's budget with {@link DsaTrainer}
 * (channels ranked by the scorer's scores, settings from the {@code dsa.*} method options) on the job's
 * training split, and hands them to {@code prune:dsa} as the {@link ArtifactRoles#RATIOS} artifact: a
 * JSON object from group id to keep ratio. The model itself is not changed.
 */
final class DsaStage {
    private DsaStage() {}

    static StageOutcome handle(JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        ModelPackage model = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        ScoreArtifact scores = ScoreArtifact.fromBytes(context.store().read(message.artifact(ArtifactRoles.SCORES)));
        DataSplits data = context.datasets().forJob(spec, model.spec());
        AllocationRequest request = JobAllocation.request(spec, model, scores.groups()).build();
        DsaTrainer.Settings settings = new DsaTrainer.Settings(MethodOptions.DSA_STEPS.intOf(spec),
                MethodOptions.DSA_LAMBDA.of(spec), MethodOptions.DSA_TEMPERATURE.of(spec),
                MethodOptions.DSA_LEARNING_RATE.of(spec), MethodOptions.DSA_BATCH_SIZE.intOf(spec), spec.seed());
        context.progress(message, "learning keep ratios of " + scores.groups().size() + " groups for "
                + settings.steps() + " steps", Map.of("steps", settings.steps()));
        long start = System.nanoTime();
        DsaTrainer.Result result = new DsaTrainer(settings, (step, steps, ce, cost) -> {
            context.deadline().check();
            context.progress(message, String.format("dsa step %d/%d: cross-entropy %.4f, estimated cost %.3f", step,
                    steps, ce, cost), Map.of("step", step, "steps", steps, "loss", ce, "estimatedFraction", cost));
        }).train(request, data.train());
        ArtifactRef ref = context.store().putBytes(message.jobId() + "/dsa-ratios.json", toBytes(result.keepRatios()));
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("estimatedFraction", result.estimatedFraction());
        values.put("crossEntropy", result.lastCrossEntropy());
        values.put("dsaSeconds", (System.nanoTime() - start) / 1e9);
        values.put("multiplier", result.multiplier());
        // The learned allocation itself, per group, so that the job's events show what DSA decided.
        result.keepRatios().forEach((id, r) -> values.put("ratio." + result.groupNames().get(id), r));
        context.progress(message, "dsa learned keep ratios: " + result.describeRatios(),
                Map.of("estimatedFraction", result.estimatedFraction()));
        return StageOutcome.forward(message.withArtifact(ArtifactRoles.RATIOS, ref).advance(), values);
    }

    static byte[] toBytes(Map<Integer, Double> ratios) {
        return Json.toJson(new TreeMap<>(ratios)).getBytes(StandardCharsets.UTF_8);
    }

    static Map<Integer, Double> readRatios(byte[] bytes) {
        try {
            Map<String, Double> raw = Json.mapper().readValue(bytes, new TypeReference<Map<String, Double>>() {});
            Map<Integer, Double> ratios = new TreeMap<>();
            raw.forEach((k, v) -> ratios.put(Integer.parseInt(k), v));
            return ratios;
        } catch (java.io.IOException | RuntimeException e) {
            throw new StageFailure("DSA ratios artifact cannot be read: " + e.getMessage(), e);
        }
    }
}
