package io.prunestream.cli;

import io.prunestream.cli.bench.CriteriaBenchmark;
import io.prunestream.core.data.DataSplits;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.train.ModelTrainer;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.zoo.ModelZoo;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "criteria", mixinStandardHelpOptions = true,
        description = "Every importance criterion graded against the oracle on trained models, and each pruning "
                + "ResNet-20 to 50%% FLOPs with the same fine-tuning budget.")
final class BenchCriteriaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "PKG", description = "a trained package to grade (repeat for several; "
            + "default: train resnet20 and vgg-small for --epochs); the first resnet20 among them is the one every "
            + "criterion prunes")
    List<String> models = new ArrayList<>();

    @Option(names = "--epochs", defaultValue = "4", description = "training epochs when no --model is given (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--finetune-epochs", defaultValue = "1", description = "fine-tuning epochs after pruning (default: ${DEFAULT-VALUE})")
    int finetuneEpochs;

    @Option(names = "--finetune-images", paramLabel = "N",
            description = "fine-tune on a seeded sample of N training images instead of all")
    Integer finetuneImages;

    @Option(names = "--grading-samples", defaultValue = "128", paramLabel = "N",
            description = "training images the criteria score on (default: ${DEFAULT-VALUE})")
    int gradingSamples;

    @Option(names = "--oracle-samples", defaultValue = "" + CriteriaBenchmark.DEFAULT_ORACLE_SAMPLES, paramLabel = "N",
            description = "other training images the oracle measures on (default: ${DEFAULT-VALUE})")
    int oracleSamples;

    @Mixin
    BenchOptions bench;

    @Mixin
    ThreadOptions threads;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        threads.apply(out);
        DataSplits splits = bench.data.load(ModelZoo.FASHION_MNIST);
        try (ProgressBars bars = new ProgressBars("bench", out)) {
            List<ModelPackage> graded = new ArrayList<>();
            for (String ref : models) {
                graded.add(ModelSource.load(ref));
            }
            if (graded.isEmpty()) {
                for (String arch : List.of("resnet20", "vgg-small")) {
                    out.println("training " + arch + " for " + epochs + " epoch(s) (pass --model to reuse a trained one)");
                    graded.add(new ModelTrainer(TrainingConfig.builder().epochs(epochs).seed(bench.data.seed).build(), bars)
                            .train(ModelZoo.create(arch, bench.data.seed), splits.train()).model());
                }
            }
            ModelPackage pruned = graded.stream().filter(m -> "resnet20".equals(m.spec().architecture())).findFirst()
                    .orElse(graded.get(0));
            StringBuilder command = new StringBuilder("bin/prunectl bench criteria");
            models.forEach(m -> command.append(" --model ").append(m));
            if (models.isEmpty()) {
                command.append(" --epochs ").append(epochs);
            }
            command.append(" --finetune-epochs ").append(finetuneEpochs);
            if (finetuneImages != null) {
                command.append(" --finetune-images ").append(finetuneImages);
            }
            command.append(" --grading-samples ").append(gradingSamples).append(" --oracle-samples ").append(oracleSamples).append(bench.dataFlags()).append(threads.flags());
            String section = new CriteriaBenchmark(splits, out, bars, bench.chartFolder())
                    .gradingSamples(gradingSamples).oracleSamples(oracleSamples).finetune(finetuneEpochs, finetuneImages)
                    .run(command.toString(), graded, pruned);
            bench.write("criteria", section, out);
        }
        return 0;
    }
}
