package io.prunestream.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numeric knobs of the pruning and training methods a job may set in {@link JobSpec#methodOptions()},
 * by dotted name ({@code distillation.temperature}, {@code eagleeye.tolerance}, ...). Each has a default,
 * a valid range and a line of documentation; a job that names an unknown option or a value out of range
 * is refused with the list of what exists, as a config file for NNI or Torch-Pruning would be.
 *
 * <p>One registry rather than a typed field per method keeps the job format stable as methods are
 * added, while still rejecting typos instead of silently ignoring them.
 */
public final class MethodOptions {
    /** One knob: its name, default, closed range and what it does. */
    public record Option(String key, double defaultValue, double min, double max, String doc) {
        public double of(JobSpec spec) {
            return spec.option(this);
        }

        public int intOf(JobSpec spec) {
            return (int) Math.round(spec.option(this));
        }
    }

    private static final Map<String, Option> KNOWN = new LinkedHashMap<>();

    private static Option define(String key, double defaultValue, double min, double max, String doc) {
        Option option = new Option(key, defaultValue, min, max, doc);
        if (KNOWN.putIfAbsent(key, option) != null) {
            throw new IllegalStateException("method option defined twice: " + key);
        }
        return option;
    }

    // ---- search strategies (eagleeye, aofp, dsa) ----
    public static final Option EAGLEEYE_TOLERANCE = define("eagleeye.tolerance", 0.02, 0.001, 0.5,
            "how far below the target a random candidate's cost may land (fraction of the original cost)");
    public static final Option EAGLEEYE_MIN_RATIO = define("eagleeye.min-ratio", 0.0, 0.0, 0.95,
            "lowest pruning ratio a layer may draw");
    public static final Option EAGLEEYE_MAX_RATIO = define("eagleeye.max-ratio", 0.9, 0.05, 0.99,
            "highest pruning ratio a layer may draw");
    public static final Option EAGLEEYE_MAX_DRAWS = define("eagleeye.max-draws", 20_000, 1, 10_000_000,
            "random ratio vectors tried per candidate before giving up");
    public static final Option AOFP_DAMAGE_THRESHOLD = define("aofp.damage-threshold", 0.3, 0.0, 10.0,
            "largest relative change of the next layers' outputs a layer's cut may cause");
    public static final Option AOFP_MAX_ROUND_TRIPS = define("aofp.max-round-trips", 30, 1, 100,
            "pruner-evaluator round trips of the halving search (threshold escalations included) before the global "
                    + "allocator finishes an over-budget plan");
    public static final Option AOFP_HALVES = define("aofp.halves", io.prunestream.core.search.AofpState.DEFAULT_HALVES,
            1, 64, "random halves of its candidate channels each group has judged per round trip");
    public static final Option AOFP_SAMPLE_IMAGES = define("aofp.sample-images", 128, 8, 10_000,
            "training images the evaluator measures feature-map damage on");
    public static final Option DSA_STEPS = define("dsa.steps", 200, 1, 100_000,
            "optimiser steps learning the keep ratios");
    public static final Option DSA_LAMBDA = define("dsa.lambda", 5.0, 0.0, 1000.0,
            "budget of DSA's method of multipliers: dual-ascent step of the multiplier and weight of the quadratic "
            + "penalty on estimated cost above the target");
    public static final Option DSA_TEMPERATURE = define("dsa.temperature", 0.05, 0.0001, 1.0,
            "softness of the channel masks (smaller: closer to a hard cut)");
    public static final Option DSA_LEARNING_RATE = define("dsa.learning-rate", 0.05, 0.00001, 10.0,
            "step of the keep-ratio logits: each group moves in proportion to its gradient, a typical one by this much");
    public static final Option DSA_BATCH_SIZE = define("dsa.batch-size", 64, 1, 4096,
            "training images per DSA step");

    // ---- training methods (distillation, slimming, gal) ----
    public static final Option DISTILLATION_TEMPERATURE = define("distillation.temperature", 4, 0.01, 100,
            "softmax temperature T of knowledge distillation in fine-tuning");
    public static final Option DISTILLATION_WEIGHT = define("distillation.weight", 0, 0, 1,
            "weight w of the teacher's soft targets in fine-tuning, (1-w)*CE + w*T^2*KL; 0 = plain cross-entropy");
    // The paper's 1e-4 acts over 160 epochs; a scale moves by about lambda x steps x rate, so one epoch
    // needs about fifty times the weight to move scales as far (docs/TRAINING.md).
    public static final Option SLIMMING_LAMBDA = define("slimming.lambda", 5e-3, 0, 1,
            "network slimming: weight of the L1 penalty on batch-norm scales during finetune:sparse");
    public static final Option SLIMMING_EPOCHS = define("slimming.epochs", 1, 1, 1000,
            "network slimming: epochs of sparse training before scoring");
    public static final Option GAL_LAMBDA = define("gal.lambda", 0.05, 0, 100,
            "GAL: weight of the soft masks' L1 norm (more zero masks, smaller model)");
    public static final Option GAL_EPOCHS = define("gal.epochs", 1, 1, 1000, "GAL: epochs of adversarial training");
    public static final Option GAL_STEPS = define("gal.steps", 0, 0, 1e7,
            "GAL: cap on steps per epoch; 0 = every batch of the training split");
    public static final Option GAL_ADVERSARIAL_WEIGHT = define("gal.adversarial-weight",
            io.prunestream.core.gal.GalConfig.DEFAULT_ADVERSARIAL_WEIGHT, 0, 100,
            "GAL: weight of the adversarial term in the student's loss (1 = the paper's objective)");
    public static final Option GAL_MASK_STEP = define("gal.mask-step", io.prunestream.core.gal.GalConfig.DEFAULT_MASK_STEP,
            1, 100_000, "GAL: the masks take their FISTA step every N student steps (the authors' mask_step)");
    public static final Option GAL_MASK_LEARNING_RATE = define("gal.mask-learning-rate", 0.01, 1e-6, 10,
            "GAL: step size of the masks' proximal (FISTA) step; the threshold per step is this times gal.lambda");
    public static final Option GAL_DISCRIMINATOR_LEARNING_RATE = define("gal.discriminator-learning-rate", 1e-3, 1e-6,
            1, "GAL: Adam step size of the discriminator");
    public static final Option GAL_BLOCK_MASKS = define("gal.block-masks", 0, 0, 1,
            "GAL: 0 = one mask per channel of each channel group; 1 = one mask per residual block (ResNets),"
                    + " zero-mask blocks are removed");

    private MethodOptions() {}

    public static Map<String, Option> known() {
        return Collections.unmodifiableMap(KNOWN);
    }

    /** Problems with a job's options, worded for the user; empty when all are known and in range. */
    static List<String> validate(Map<String, Double> options) {
        List<String> problems = new ArrayList<>();
        options.forEach((key, value) -> {
            Option option = KNOWN.get(key);
            if (option == null) {
                problems.add("unknown method option '" + key + "' (known: " + String.join(", ", KNOWN.keySet()) + ")");
            } else if (value == null || !(value >= option.min() && value <= option.max())) {
                problems.add("method option " + key + " must be in [" + option.min() + ", " + option.max() + "], got "
                        + value + " (" + option.doc() + ")");
            }
        });
        return problems;
    }
}
