package io.prunestream.core.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A local folder of IDX files in one of two layouts:
 * <ul>
 *   <li>{@code train-images-idx3-ubyte} + {@code train-labels-idx1-ubyte}, optionally with
 *       {@code t10k-images-idx3-ubyte} + {@code t10k-labels-idx1-ubyte} (the MNIST and
 *       Fashion-MNIST distributions);</li>
 *   <li>{@code images-idx3-ubyte} + {@code labels-idx1-ubyte}: a single set, exposed as train
 *       with no test set.</li>
 * </ul>
 * Each file may also carry a {@code .gz} suffix.
 *
 * <p>Why not DJL basicdataset's {@code Mnist}/{@code FashionMnist}: they resolve their files
 * through a DJL {@code Repository}/{@code MRL} (artifact "fashmnist" of the BasicDataset
 * repository), whose metadata maps fixed item names (train_data, train_labels, ...) to files and
 * whose {@code prepare()} downloads them. A plain local folder of IDX files, gzipped or not, with
 * either naming, is not something they read; they also skip the IDX headers without checking them.
 * Reading IDX ourselves is a few lines and works offline against e.g. the Debian
 * {@code dataset-fashion-mnist} package.
 */
public final class IdxDatasetFolder {

    /** Where the Debian package {@code dataset-fashion-mnist} installs Fashion-MNIST. */
    public static final Path DEFAULT_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    /** Environment variable overriding the default folder; takes precedence over the property. */
    public static final String DATA_ENV = "PRUNESTREAM_DATA";
    /** System property overriding the default folder. */
    public static final String DATA_PROPERTY = "prunestream.data";

    static final String INSTALL_HINT = "apt-get install dataset-fashion-mnist provides "
            + DEFAULT_FASHION_MNIST;

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final String SINGLE_IMAGES = "images-idx3-ubyte";
    private static final String SINGLE_LABELS = "labels-idx1-ubyte";

    private final Path folder;
    private final IdxPair train;
    private final IdxPair test;

    private IdxDatasetFolder(Path folder, IdxPair train, IdxPair test) {
        this.folder = folder;
        this.train = train;
        this.test = test;
    }

    /** $PRUNESTREAM_DATA, else -Dprunestream.data, else {@link #DEFAULT_FASHION_MNIST}. */
    public static Path defaultFolder() {
        return defaultFolder(System::getenv, System::getProperty);
    }

    /** The lookup behind {@link #defaultFolder()}, with injectable sources for tests. */
    static Path defaultFolder(UnaryOperator<String> env, UnaryOperator<String> properties) {
        String fromEnv = env.apply(DATA_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv.strip());
        }
        String fromProperty = properties.apply(DATA_PROPERTY);
        if (fromProperty != null && !fromProperty.isBlank()) {
            return Path.of(fromProperty.strip());
        }
        return DEFAULT_FASHION_MNIST;
    }

    /** Locates the dataset in {@link #defaultFolder()}. */
    public static IdxDatasetFolder locateDefault() throws DatasetException {
        return locate(defaultFolder());
    }

    /**
     * The {@link #defaultFolder()} if it holds a training and a test set (Fashion-MNIST's four files
     * where the Debian package installs them, unless {@code PRUNESTREAM_DATA} or the property points
     * elsewhere): the folder the code reads when given none. Tests go through pruning-core's
     * {@code RequiredData} instead, which also says why the data is missing.
     */
    public static Optional<Path> fashionMnistIfPresent() {
        try {
            IdxDatasetFolder found = locate(defaultFolder());
            return found.testFiles().isPresent() ? Optional.of(found.folder()) : Optional.empty();
        } catch (DatasetException e) {
            return Optional.empty();
        }
    }

    /**
     * Finds the IDX files in {@code folder} without reading them.
     *
     * @throws DatasetException if the folder is missing, holds no complete layout, or holds half
     *     of a pair
     */
    public static IdxDatasetFolder locate(Path folder) throws DatasetException {
        Objects.requireNonNull(folder, "folder");
        if (!Files.exists(folder)) {
            throw new DatasetException(folder, "dataset folder does not exist" + hintFor(folder));
        }
        if (!Files.isDirectory(folder)) {
            throw new DatasetException(folder,
                    "is not a directory, expected a folder of IDX files");
        }
        Optional<IdxPair> train = pair(folder, TRAIN_IMAGES, TRAIN_LABELS);
        Optional<IdxPair> test = pair(folder, TEST_IMAGES, TEST_LABELS);
        if (train.isPresent()) {
            return new IdxDatasetFolder(folder, train.get(), test.orElse(null));
        }
        if (test.isPresent()) {
            throw new DatasetException(folder, "has " + TEST_IMAGES + " and " + TEST_LABELS
                    + " but no " + TRAIN_IMAGES + "[.gz] + " + TRAIN_LABELS + "[.gz]");
        }
        Optional<IdxPair> single = pair(folder, SINGLE_IMAGES, SINGLE_LABELS);
        if (single.isPresent()) {
            return new IdxDatasetFolder(folder, single.get(), null);
        }
        throw new DatasetException(folder, "no IDX dataset found; looked for "
                + TRAIN_IMAGES + "[.gz] + " + TRAIN_LABELS + "[.gz] (optionally with "
                + TEST_IMAGES + "[.gz] + " + TEST_LABELS + "[.gz]), or "
                + SINGLE_IMAGES + "[.gz] + " + SINGLE_LABELS + "[.gz]" + hintFor(folder));
    }

    /** Both files of a pair, none, or an error naming the missing half. */
    private static Optional<IdxPair> pair(Path folder, String imagesName, String labelsName)
            throws DatasetException {
        Optional<Path> images = find(folder, imagesName);
        Optional<Path> labels = find(folder, labelsName);
        if (images.isPresent() && labels.isPresent()) {
            return Optional.of(new IdxPair(images.get(), labels.get()));
        }
        if (images.isPresent() || labels.isPresent()) {
            String present = images.isPresent() ? imagesName : labelsName;
            String missing = images.isPresent() ? labelsName : imagesName;
            throw new DatasetException(folder, "has " + present + " but not " + missing
                    + "[.gz] to pair it with");
        }
        return Optional.empty();
    }

    /** The plain file if present, else the gzipped one. */
    private static Optional<Path> find(Path folder, String baseName) {
        for (String name : new String[] {baseName, baseName + ".gz"}) {
            Path candidate = folder.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The install hint, for the default Fashion-MNIST folder only. */
    static String hintFor(Path folder) {
        boolean isDefault = folder.toAbsolutePath().normalize().equals(DEFAULT_FASHION_MNIST);
        return isDefault ? " (" + INSTALL_HINT + ")" : "";
    }

    public Path folder() {
        return folder;
    }

    public IdxPair trainFiles() {
        return train;
    }

    /** Empty for the single-set layout. */
    public Optional<IdxPair> testFiles() {
        return Optional.ofNullable(test);
    }

    /** Reads the training set (the only set in the single-set layout). */
    public ImageDataset train(Normalization normalization) throws IOException {
        return train.load(normalization);
    }

    /** Reads the test set; empty for the single-set layout. */
    public Optional<ImageDataset> test(Normalization normalization) throws IOException {
        return test == null ? Optional.empty() : Optional.of(test.load(normalization));
    }

    @Override
    public String toString() {
        return "IdxDatasetFolder[" + folder + (test == null ? ", single set]" : ", train+test]");
    }
}
