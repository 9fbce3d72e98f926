package io.prunestream.pipeline.stage;

import ai.djl.engine.Engine;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Op;
import io.prunestream.core.train.BnScaleSparsity;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingResult;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code finetune:sparse}, network slimming's first stage: trains the job's model with an L1 penalty
 * on every BN scale ({@code slimming.lambda}, for {@code slimming.epochs}) and makes the result the
 * job's {@link ArtifactRoles#MODEL}, so that {@code score:bn-scale} and the pruner work on the sparse
 * model; the submitted model stays under {@link ArtifactRoles#SUBMITTED} as the report's baseline.
 */
final class SparseTraining {
    StageOutcome handle(JobMessage message, StageContext context) {
        JobSpec spec = message.spec();
        ModelPackage model = context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        if (model.spec().nodes().stream().noneMatch(n -> n.op() == Op.BATCHNORM)) {
            throw new StageFailure("network slimming needs batch-norm layers, but model '" + model.spec().name()
                    + "' has none");
        }
        double lambda = MethodOptions.SLIMMING_LAMBDA.of(spec);
        int epochs = MethodOptions.SLIMMING_EPOCHS.intOf(spec);
        DataSplits data = context.datasets().forJob(spec, model.spec());
        TrainingConfig config = TrainingConfig.builder().epochs(epochs).learningRate(spec.learningRate())
                .seed(spec.seed()).build();
        context.progress(message, String.format("sparse training (L1 %.2g on BN scales) for %d epoch(s) on %s",
                lambda, epochs, Engine.getInstance().defaultDevice()), Map.of("epochs", epochs, "lambda", lambda));
        TrainingResult result = new ModelTrainer(config, new TrainingEvents(message, context))
                .withPenalty(new BnScaleSparsity(lambda)).train(model, data.train());
        ArtifactRef ref = context.store().putModel(message.jobId() + "/sparse-trained", result.model());
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("trainLoss", result.lastEpoch().trainLoss());
        values.put("trainAccuracy", result.lastEpoch().trainAccuracy());
        values.put("bnScaleL1Before", bnScaleL1(model));
        values.put("bnScaleL1After", bnScaleL1(result.model()));
        return StageOutcome.forward(ArtifactRoles.replaceModel(message, ref).advance(), values);
    }

    private static double bnScaleL1(ModelPackage model) {
        double sum = 0;
        for (var n : model.spec().nodes()) {
            if (n.op() == Op.BATCHNORM) {
                for (float g : model.weight(n.id() + ".gamma").data()) {
                    sum += Math.abs(g);
                }
            }
        }
        return sum;
    }
}
