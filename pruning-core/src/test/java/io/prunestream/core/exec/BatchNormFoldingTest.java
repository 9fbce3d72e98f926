package io.prunestream.core.exec;

import static io.prunestream.core.testing.ModelFixtures.assertClose;
import static io.prunestream.core.testing.ModelFixtures.logits;
import static io.prunestream.core.testing.ModelFixtures.randomImages;
import static io.prunestream.core.testing.ModelFixtures.randomiseBn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.Op;
import io.prunestream.core.zoo.GraphBuilder;
import io.prunestream.core.zoo.ModelZoo;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BatchNormFoldingTest {

    static java.util.List<String> architectures() {
        return ModelZoo.ARCHITECTURES;
    }

    /** Folding is only worth doing if the logits stay what they were, on every zoo network. */
    @ParameterizedTest
    @MethodSource("architectures")
    void foldedModelComputesTheSameLogits(String arch) {
        ModelPackage model = randomiseBn(ModelZoo.create(arch, 11), new Random(5));
        ModelPackage folded = BatchNormFolding.fold(model);
        long bns = model.spec().nodes().stream().filter(n -> n.op() == Op.BATCHNORM).count();
        long left = folded.spec().nodes().stream().filter(n -> n.op() == Op.BATCHNORM).count();
        if (bns == 0) {
            assertSame(model, folded, arch + " has no BN to fold");
            return;
        }
        assertTrue(left < bns, arch + ": " + bns + " BN nodes, " + left + " left after folding");
        assertEquals(CostModel.of(model.spec()).macs(), CostModel.of(folded.spec()).macs(), "convolutions unchanged");

        float[] images = randomImages(new Random(arch.hashCode()), 4, model);
        assertClose(logits(model, images), logits(folded, images), 1e-5, arch + " folded");
    }

    /** A conv whose output is also read elsewhere (a residual branch, a concat) must keep its BN apart. */
    @Test
    void convolutionReadTwiceKeepsItsBatchNorm() {
        GraphBuilder b = new GraphBuilder();
        String conv = b.conv("c", "input", 8, 3, 1, 1);
        String sum = b.sum("sum", b.bn("bn", conv), conv);
        String fc = b.linear("fc", b.flatten(b.globalAvgPool(sum)), 3);
        ModelPackage model = randomiseBn(b.build("shared", "test", new InputSpec(1, 8, 8, 0, 1), 3, fc, 1), new Random(1));
        assertSame(model, BatchNormFolding.fold(model));
    }
}
