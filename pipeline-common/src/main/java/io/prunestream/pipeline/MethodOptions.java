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

    // ---- training methods (distillation, slimming, gal) ----

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
