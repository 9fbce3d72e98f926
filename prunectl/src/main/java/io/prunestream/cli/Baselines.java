package io.prunestream.cli;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.data.IdxDatasetFolder;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.train.TrainingConfig;
import io.prunestream.core.zoo.ModelZoo;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small trained baselines for the demo and the pipeline benchmark, trained once and kept in the work dir. */
final class Baselines {
    private Baselines() {}

    static ModelPackage cached(DemoJob demo, Path workDir, PrintWriter out) {
        Path dir = demo.baselineDir(workDir);
        String arch = demo.arch();
        Path data = demo.data();
        if (Files.isRegularFile(dir.resolve(PackageIO.SPEC_FILE))) {
            out.println("using the cached baseline in " + dir);
            return PackageIO.load(dir);
        }
        ModelPackage fresh = ModelZoo.create(arch, 42);
        DataSplits splits;
        try {
            splits = DataSplits.load(data != null ? data : IdxDatasetFolder.defaultFolder(), fresh.spec().input(), 42,
                    new DataSplits.Limits(demo.trainLimit(), null, demo.testLimit()));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        out.println("training a " + arch + " baseline on " + splits.train().size() + " images (cached in " + dir + ")");
        ModelPackage trained = Training.run(fresh, splits, TrainingConfig.builder().epochs(demo.baselineEpochs()).learningRate(0.1)
                .seed(42).build(), out);
        PackageIO.save(trained, dir);
        return trained;
    }
}
