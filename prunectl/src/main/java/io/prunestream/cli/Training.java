package io.prunestream.cli;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.EvalResult;
import io.prunestream.core.train.Evaluator;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.train.TrainingResult;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Training with a progress bar and a test evaluation, the result carrying its metrics in {@code info}. */
final class Training {
    private Training() {}

    static ModelPackage run(ModelPackage initial, DataSplits splits, TrainingConfig config, PrintWriter out) {
        ProgressBars bars = new ProgressBars("train", out);
        TrainingResult result;
        try {
            result = new ModelTrainer(config, bars).train(initial, splits.train());
        } finally {
            bars.close();
        }
        EvalResult test = new Evaluator().evaluate(result.model(), splits.test());
        out.printf("test accuracy %.4f, loss %.4f on %d images%n", test.accuracy(), test.loss(), test.samples());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("testAccuracy", test.accuracy());
        metrics.put("testLoss", test.loss());
        metrics.put("testImages", test.samples());
        metrics.put("trainImages", splits.train().size());
        metrics.put("epochs", config.epochs());
        metrics.put("finalTrainLoss", result.lastEpoch().trainLoss());
        metrics.put("imagesPerSecond", result.lastEpoch().imagesPerSecond());
        metrics.put("history", result.history());
        return result.model().withInfo(Map.of("training", metrics));
    }
}
