package io.prunestream.core.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The operations a model package may contain; {@link #key()} is the name used in model.json. */
public enum Op {
    CONV2D("conv2d", 1),
    BATCHNORM("batchnorm", 1),
    RELU("relu", 1),
    RELU6("relu6", 1),
    MAXPOOL("maxpool", 1),
    AVGPOOL("avgpool", 1),
    GLOBAL_AVGPOOL("global_avgpool", 1),
    ADD("add", -2),
    CONCAT("concat", -2),
    FLATTEN("flatten", 1),
    LINEAR("linear", 1),
    DROPOUT("dropout", 1);

    private final String key;
    /** Exact input count, or minus the minimum for variadic ops. */
    private final int arity;

    Op(String key, int arity) {
        this.key = key;
        this.arity = arity;
    }

    public String key() {
        return key;
    }

    public boolean acceptsInputs(int n) {
        return arity >= 0 ? n == arity : n >= -arity;
    }

    public String arityText() {
        return arity >= 0 ? "exactly " + arity : "at least " + (-arity);
    }

    public static Op fromKey(String key) {
        for (Op op : values()) {
            if (op.key.equals(key.toLowerCase(Locale.ROOT))) {
                return op;
            }
        }
        return null;
    }

    public static String knownKeys() {
        return Arrays.stream(values()).map(Op::key).collect(Collectors.joining(", "));
    }
}
