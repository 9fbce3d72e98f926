package io.prunestream.cli;

import io.prunestream.core.data.DataSplits;
import io.prunestream.core.data.IdxDatasetFolder;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the images come from and how many of each set to use (small numbers make quick trials). */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "folder of IDX files, gzipped or not (default: $PRUNESTREAM_DATA or "
                    + "/usr/share/datasets/fashion-mnist)")
    Path data;

    @Option(names = "--train-limit", paramLabel = "N", description = "use at most N training images")
    Integer trainLimit;

    @Option(names = "--test-limit", paramLabel = "N", description = "use at most N test images")
    Integer testLimit;

    @Option(names = "--seed", defaultValue = "42", description = "seed for splits, shuffling and initialisation (default: ${DEFAULT-VALUE})")
    long seed;

    /** The splits as {@code model} takes them, its input transform included. */
    DataSplits load(ModelSpec model) {
        try {
            return DataSplits.load(folder(), model, seed, new DataSplits.Limits(trainLimit, null, testLimit));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** The splits normalised for {@code input} (zoo architectures, which need no transform). */
    DataSplits load(InputSpec input) {
        try {
            return DataSplits.load(folder(), input, seed, new DataSplits.Limits(trainLimit, null, testLimit));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private Path folder() {
        return data != null ? data : IdxDatasetFolder.defaultFolder();
    }
}
