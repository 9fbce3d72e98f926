package io.prunestream.pipeline.stage;

import io.prunestream.core.data.IdxDatasetFolder;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.MethodOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * What one job may ask of a shared service. Many teams submit to the same pipeline, and a single job
 * asking for a billion candidates, a million epochs or a slip of ten thousand stages would occupy a
 * service for good; so the intake refuses, with an error result, a job above any of these limits,
 * naming the limit, the job's value and the setting that raises it.
 *
 * <p>Each limit is a MicroProfile Config property {@code prunestream.limits.<key>}, which can also be
 * set as the environment variable MicroProfile Config maps it to ({@code PRUNESTREAM_LIMITS_<KEY>},
 * letters upper-cased, every other character an underscore); see {@link #fromConfig}. The defaults
 * (below) let every documented workflow of this project run, including a full Fashion-MNIST
 * fine-tune, and stop requests that are off by orders of magnitude.
 *
 * <p>Image counts left out of a job mean "all of the dataset"; that is bounded by the dataset, which
 * must lie in the service's {@link DataRoots}, so only counts a job states are checked.
 */
public final class JobLimits {
    public static final String PREFIX = "prunestream.limits.";

    /** One bounded quantity: its key under {@link #PREFIX}, its default and what it bounds. */
    public record Limit(String key, long defaultValue, String bounds) {
        public String property() {
            return PREFIX + key;
        }

        /** The environment variable MicroProfile Config reads for {@link #property()}. */
        public String env() {
            return property().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        }
    }

    private record Check(String field, Limit limit, ToLongFunction<JobMessage> value) {}

    private static final Map<String, Limit> ALL = new LinkedHashMap<>();
    private static final List<Check> CHECKS = new ArrayList<>();

    public static final Limit CANDIDATES = define("max-candidates", 16, "pruned candidates per round");
    public static final Limit ROUNDS = define("max-rounds", 10, "prune/evaluate rounds per job");
    public static final Limit FINETUNE_EPOCHS = define("max-finetune-epochs", 100, "fine-tuning epochs");
    public static final Limit TRAIN_IMAGES = define("max-train-images", 60_000, "training images a job names");
    public static final Limit EVAL_IMAGES = define("max-eval-images", 20_000,
            "held-out and test images a job names, each");
    public static final Limit CALIBRATION_BATCHES = define("max-calibration-batches", 1_000,
            "batches adaptive BN recalibrates on");
    public static final Limit SLIP_STAGES = define("max-slip-stages", 32, "stages on a submitted routing slip");
    public static final Limit STAGE_TIMEOUT_SECONDS = define("max-stage-timeout-seconds", 7_200,
            "time limit a job may give each stage, in seconds");

    static {
        check("candidates", CANDIDATES, m -> m.spec().candidates());
        check("maxRounds", ROUNDS, m -> m.spec().maxRounds());
        check("finetuneEpochs", FINETUNE_EPOCHS, m -> m.spec().finetuneEpochs());
        check("trainImages", TRAIN_IMAGES, m -> orZero(m.spec().trainImages()));
        check("heldOutImages", EVAL_IMAGES, m -> orZero(m.spec().heldOutImages()));
        check("testImages", EVAL_IMAGES, m -> orZero(m.spec().testImages()));
        check("calibrationBatches", CALIBRATION_BATCHES, m -> m.spec().calibrationBatches());
        check("the routing slip's stage count", SLIP_STAGES, m -> m.slip().stages().size());
        check("stageTimeoutSeconds", STAGE_TIMEOUT_SECONDS, m -> m.spec().stageTimeoutSeconds());
        // Method options that count work (steps, epochs, draws, images); their own ranges in
        // MethodOptions say what is meaningful, these what one job may spend on a shared service.
        option(MethodOptions.EAGLEEYE_MAX_DRAWS, 100_000);
        option(MethodOptions.AOFP_MAX_ROUND_TRIPS, 50);
        option(MethodOptions.AOFP_SAMPLE_IMAGES, 2_000);
        option(MethodOptions.DSA_STEPS, 5_000);
        option(MethodOptions.DSA_BATCH_SIZE, 512);
        option(MethodOptions.SLIMMING_EPOCHS, 100);
        option(MethodOptions.GAL_EPOCHS, 100);
        option(MethodOptions.GAL_STEPS, 100_000);
    }

    private final Map<Limit, Long> values;
    private final DataRoots dataRoots;

    private JobLimits(Map<Limit, Long> values, DataRoots dataRoots) {
        this.values = Map.copyOf(values);
        this.dataRoots = dataRoots;
    }

    /** Every limit with its default, and {@code dataRoots} as the only places datasets may come from. */
    public static JobLimits defaults(DataRoots dataRoots) {
        Map<Limit, Long> values = new LinkedHashMap<>();
        ALL.values().forEach(limit -> values.put(limit, limit.defaultValue()));
        return new JobLimits(values, dataRoots);
    }

    /** The defaults, with the default dataset folder ({@link IdxDatasetFolder#defaultFolder()}) as the one data root. */
    public static JobLimits defaults() {
        return defaults(new DataRoots(List.of(IdxDatasetFolder.defaultFolder())));
    }

    /**
     * The limits as configured: each {@link Limit#property()} the configuration holds replaces its
     * default, and {@link DataRoots#PROPERTY} replaces {@code defaultRoots}.
     *
     * @param config a configuration lookup by property name (MicroProfile Config's, in the services)
     * @throws IllegalArgumentException naming the property whose value is not a whole number of at least
     *     1, so that a mistyped limit stops the service at startup rather than being ignored
     */
    public static JobLimits fromConfig(Function<String, Optional<String>> config, DataRoots defaultRoots) {
        Map<Limit, Long> values = new LinkedHashMap<>();
        for (Limit limit : ALL.values()) {
            values.put(limit, config.apply(limit.property()).map(text -> parse(limit, text)).orElse(limit.defaultValue()));
        }
        DataRoots roots = config.apply(DataRoots.PROPERTY).filter(text -> !text.isBlank()).map(DataRoots::parse)
                .orElse(defaultRoots);
        return new JobLimits(values, roots);
    }

    /** Every limit, by key. */
    public static Map<String, Limit> known() {
        return Collections.unmodifiableMap(ALL);
    }

    /** The limit on a method option that counts work, if it has one. */
    public static Optional<Limit> forOption(MethodOptions.Option option) {
        return Optional.ofNullable(ALL.get(optionKey(option)));
    }

    public long max(Limit limit) {
        return values.get(limit);
    }

    public DataRoots dataRoots() {
        return dataRoots;
    }

    /** Every limit the job is over, and what is wrong with its dataset folder, worded for its submitter. */
    public List<String> check(JobMessage message) {
        List<String> problems = new ArrayList<>();
        for (Check check : CHECKS) {
            long value = check.value().applyAsLong(message);
            long max = max(check.limit());
            if (value > max) {
                problems.add(check.field() + " is " + value + ", over this service's limit of " + max + " ("
                        + check.limit().bounds() + "; raise it with " + check.limit().property() + ", env "
                        + check.limit().env() + ")");
            }
        }
        dataRoots.problem(message.spec().datasetDir()).ifPresent(problems::add);
        return problems;
    }

    private static Limit define(String key, long defaultValue, String bounds) {
        Limit limit = new Limit(key, defaultValue, bounds);
        if (ALL.putIfAbsent(key, limit) != null) {
            throw new IllegalStateException("limit defined twice: " + key);
        }
        return limit;
    }

    private static void check(String field, Limit limit, ToLongFunction<JobMessage> value) {
        CHECKS.add(new Check(field, limit, value));
    }

    private static void option(MethodOptions.Option option, long defaultValue) {
        Limit limit = define(optionKey(option), defaultValue, option.doc());
        // Options hold doubles; a fraction above the limit is over it too, so round up.
        check("method option " + option.key(), limit, m -> (long) Math.ceil(option.of(m.spec())));
    }

    private static String optionKey(MethodOptions.Option option) {
        return "max-option." + option.key();
    }

    private static long orZero(Integer count) {
        return count == null ? 0 : count;
    }

    private static long parse(Limit limit, String text) {
        try {
            long value = Long.parseLong(text.strip().replace("_", ""));
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the property's name.
        }
        throw new IllegalArgumentException(limit.property() + " (env " + limit.env() + ") must be a whole number of at"
                + " least 1, got '" + text + "'");
    }

    @Override
    public String toString() {
        return "JobLimits" + values + " " + dataRoots;
    }
}
