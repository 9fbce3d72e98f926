package io.prunestream.core.gal;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;

/**
 * GAL's discriminator: a small MLP that reads a batch of logits (the teacher's or the student's) and
 * returns one raw logit per image, "this came from the teacher". No sigmoid inside: losses apply
 * {@link GanLosses} (BCE with logits) once.
 */
final class Discriminator {
    static final int HIDDEN = 64;

    private Discriminator() {}

    static Block create() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(1).build());
    }
}
