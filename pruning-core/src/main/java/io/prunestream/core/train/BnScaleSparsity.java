package io.prunestream.core.train;

import ai.djl.ndarray.NDArray;
import io.prunestream.core.exec.PackageBlock;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import java.util.List;

/**
 * Network slimming's sparsity prior (Liu et al., 2017): {@code lambda * sum |gamma|} over every
 * batch-norm scale of the model. It is added to the loss, so autograd gives {@code lambda * sign(gamma)}
 * (0 at exactly 0), the same subgradient the paper adds to the gammas' gradients by hand; the SGD step
 * (with momentum and weight decay) then applies it like any other gradient.
 */
public final class BnScaleSparsity implements Penalty {
    private final double lambda;

    public BnScaleSparsity(double lambda) {
        if (!(lambda >= 0) || !Double.isFinite(lambda)) {
            throw new IllegalArgumentException("slimming lambda must be zero or positive and finite, got " + lambda);
        }
        this.lambda = lambda;
    }

    @Override
    public String name() {
        return "bn-scale-l1";
    }

    @Override
    public NDArray value(PackageBlock block) {
        List<String> gammas = gammaKeys(block);
        if (gammas.isEmpty()) {
            throw new IllegalArgumentException("network slimming needs batch-norm layers, but model '"
                    + block.graph().spec().name() + "' has none");
        }
        NDArray sum = null;
        for (String key : gammas) {
            NDArray l1 = block.parameter(key).getArray().abs().sum();
            sum = sum == null ? l1 : sum.add(l1);
        }
        return sum.mul((float) lambda);
    }

    private static List<String> gammaKeys(PackageBlock block) {
        return block.graph().order().stream().filter(n -> n.op() == Op.BATCHNORM).map(NodeSpec::id)
                .map(id -> id + ".gamma").toList();
    }
}
