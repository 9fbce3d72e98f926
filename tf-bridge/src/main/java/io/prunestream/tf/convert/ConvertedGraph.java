package io.prunestream.tf.convert;

import io.prunestream.core.model.ModelSpec;
import java.util.Map;

/**
 * A SavedModel's serving graph as a package spec, with the recipe of every weight. Weights are made
 * later, once the runtime has read the variables: conversion itself runs nothing.
 */
public record ConvertedGraph(ModelSpec spec, Map<String, WeightRecipe> weights) {
    public ConvertedGraph {
        weights = Map.copyOf(weights);
    }
}
