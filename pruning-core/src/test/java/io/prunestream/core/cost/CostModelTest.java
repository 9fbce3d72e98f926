package io.prunestream.core.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import org.junit.jupiter.api.Test;

/** FLOPs here are multiply-accumulates of conv and linear layers, per 28x28 Fashion-MNIST image. */
class CostModelTest {

    @Test
    void leNetCostsMatchHandCount() {
        ModelPackage lenet = ModelZoo.create("lenet", 1);
        long conv1 = 6L * 28 * 28 * (1 * 5 * 5);      // padding 2 keeps 28x28
        long conv2 = 16L * 10 * 10 * (6 * 5 * 5);     // 14x14 after pooling, 5x5 valid → 10x10
        long fc1 = 16L * 5 * 5 * 120;
        long fc2 = 120L * 84;
        long fc3 = 84L * 10;
        CostReport cost = CostModel.of(lenet.spec());
        assertEquals(conv1 + conv2 + fc1 + fc2 + fc3, cost.macs());
        assertEquals(416_520L, cost.macs());
        long params = 6 * 25 + 16 * 6 * 25 + (400 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10);
        assertEquals(params, cost.params());
        assertEquals(params, lenet.parameterCount());
    }

    @Test
    void resNet20CostsMatchHandCount() {
        long conv3x3At28 = 28L * 28 * 16 * 16 * 9;
        long stem = 28L * 28 * 16 * 1 * 9;
        long stage1 = 6 * conv3x3At28;
        long stage2 = 14L * 14 * 32 * 16 * 9      // first conv, stride 2
                + 14L * 14 * 32 * 16               // 1x1 projection shortcut
                + 5 * (14L * 14 * 32 * 32 * 9);    // the other five 3x3 convs
        long stage3 = 7L * 7 * 64 * 32 * 9 + 7L * 7 * 64 * 32 + 5 * (7L * 7 * 64 * 64 * 9);
        long fc = 64L * 10;
        CostReport cost = CostModel.of(ModelZoo.create("resnet20", 1).spec());
        assertEquals(stem + stage1 + stage2 + stage3 + fc, cost.macs());

        long convParams = 16 * 9 + 6 * (16 * 16 * 9)
                + (32 * 16 * 9 + 32 * 16 + 5 * 32 * 32 * 9)
                + (64 * 32 * 9 + 64 * 32 + 5 * 64 * 64 * 9);
        long bnParams = 2 * (16 + 6 * 16 + 7 * 32 + 7 * 64);   // gamma and beta; stage 2 and 3 have a projection BN
        long fcParams = 64 * 10 + 10;
        assertEquals(convParams + bnParams + fcParams, cost.params());
        assertEquals(272_186L, cost.params());
    }
}
