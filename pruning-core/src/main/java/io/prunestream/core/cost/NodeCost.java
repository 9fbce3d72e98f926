package io.prunestream.core.cost;

/** Multiply-accumulates per sample and trainable parameters of one node. */
public record NodeCost(String nodeId, String op, long macs, long params) {}
