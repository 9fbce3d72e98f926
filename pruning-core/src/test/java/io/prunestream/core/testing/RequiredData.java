package io.prunestream.core.testing;

import io.prunestream.core.data.DatasetException;
import io.prunestream.core.data.IdxDatasetFolder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when data it cannot run without is missing. On CI (environment {@code CI=true}) it
 * fails: a CI run that skipped every test needing the data would pass while checking none of it.
 * Anywhere else it is skipped, with the same message, so that a machine without the data still runs
 * everything else. Either way the message says what is missing and how to get it.
 */
public final class RequiredData {
    /** How to get Fashion-MNIST where it is missing. */
    static final String FASHION_MNIST_HINT = "install it with `apt-get install dataset-fashion-mnist` (into "
            + IdxDatasetFolder.DEFAULT_FASHION_MNIST + ") or set " + IdxDatasetFolder.DATA_ENV
            + " to a folder holding its train-* and t10k-* IDX files";

    private RequiredData() {}

    /**
     * The Fashion-MNIST folder the code under test reads by default ({@link IdxDatasetFolder#defaultFolder()}:
     * {@code $PRUNESTREAM_DATA}, {@code -Dprunestream.data} or the Debian package's), with its test set.
     */
    public static Path fashionMnist() {
        return fashionMnist(IdxDatasetFolder.defaultFolder(), System.getenv(), System.err);
    }

    static Path fashionMnist(Path folder, Map<String, String> env, PrintStream log) {
        String problem = problemWith(folder);
        require(problem == null, "Fashion-MNIST not found (" + problem + "): " + FASHION_MNIST_HINT, env, log);
        return folder;
    }

    /** Why {@code folder} does not hold Fashion-MNIST's training and test sets; null when it does. */
    private static String problemWith(Path folder) {
        try {
            return IdxDatasetFolder.locate(folder).testFiles().isPresent() ? null
                    : folder + ": has a training set but no t10k-* test set";
        } catch (DatasetException e) {
            return e.getMessage();
        }
    }

    /**
     * Returns if {@code present}; otherwise fails the calling test on CI and skips it elsewhere, with
     * {@code message} (what is missing and how to get it).
     */
    public static void require(boolean present, String message) {
        require(present, message, System.getenv(), System.err);
    }

    /** {@link #require(boolean, String)} with the environment and the console given. */
    static void require(boolean present, String message, Map<String, String> env, PrintStream log) {
        if (present) {
            return;
        }
        if (onCi(env)) {
            Assertions.fail(message + " [CI=true: missing data fails the test instead of skipping it]");
        }
        String skipped = message + " [skipped; with CI=true this fails]";
        // Maven's console counts skipped tests without saying why; the reports alone would hide this.
        log.println("WARNING: " + skipped);
        Assumptions.abort(skipped);
    }

    static boolean onCi(Map<String, String> env) {
        return "true".equalsIgnoreCase(env.getOrDefault("CI", "").strip());
    }
}
