package io.prunestream.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model as PruneStream stores and ships it: the graph and its weights, checked against each other.
 * Construction validates, so a {@code ModelPackage} in hand is always runnable.
 */
public final class ModelPackage {
    private final ModelSpec spec;
    private final Map<String, Tensor> weights;
    private final ModelGraph graph;

    public ModelPackage(ModelSpec spec, Map<String, Tensor> weights) {
        this.graph = ModelGraph.of(spec);
        graph.checkWeights(weights);
        this.spec = spec;
        // Order weights as the spec lists them so that saved files are reproducible.
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        graph.weightShapes().keySet().forEach(k -> ordered.put(k, weights.get(k)));
        this.weights = Collections.unmodifiableMap(ordered);
    }

    public ModelSpec spec() {
        return spec;
    }

    public ModelGraph graph() {
        return graph;
    }

    public Map<String, Tensor> weights() {
        return weights;
    }

    public Tensor weight(String key) {
        Tensor t = weights.get(key);
        if (t == null) {
            throw new ModelFormatException("no weight '" + key + "'");
        }
        return t;
    }

    /** A deep copy of the weights, for code that edits them and builds a new package. */
    public Map<String, Tensor> copyWeights() {
        Map<String, Tensor> copy = new LinkedHashMap<>();
        weights.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    public ModelPackage withSpec(ModelSpec newSpec) {
        return new ModelPackage(newSpec, weights);
    }

    /** Adds or replaces entries of the free-form {@code info} map (metrics, provenance). */
    public ModelPackage withInfo(Map<String, Object> extra) {
        Map<String, Object> info = new LinkedHashMap<>(spec.info());
        info.putAll(extra);
        return new ModelPackage(spec.withInfo(info), weights);
    }

    public long parameterCount() {
        return graph.weightShapes().entrySet().stream()
                .filter(e -> !e.getKey().endsWith(".running_mean") && !e.getKey().endsWith(".running_var"))
                .mapToLong(e -> Tensor.numel(e.getValue()))
                .sum();
    }
}
