package io.prunestream.core.importance;

import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.Tensor;
import io.prunestream.core.zoo.GraphBuilder;
import java.util.Map;

/** Hand-built packages whose filters and BN scales tests choose, so that scores can be worked out on paper. */
final class TinyModels {
    /** Two input channels: a 1x1 filter is a point in the plane. */
    static final InputSpec INPUT = new InputSpec(2, 4, 4, 0, 1);

    private TinyModels() {}

    /** input → 1x1 conv "c" with the given filters → BN → ReLU → pooling → classifier. */
    static ModelPackage singleConv(float[][] filters) {
        GraphBuilder g = new GraphBuilder();
        String x = g.convBnRelu("c", ModelSpec.INPUT, filters.length, 1, 1, 0);
        String out = g.linear("fc", g.flatten(g.globalAvgPool(x)), 3);
        ModelPackage pkg = g.build("single", "single", INPUT, 3, out, 1);
        return withValues(pkg, Map.of("c.weight", flatten(filters)));
    }

    /**
     * Two 1x1 convs "a" and "b" on the input, each with a BN, joined by an add: one group with two
     * producers and two norms.
     */
    static ModelPackage residual(float[][] filtersA, float[][] filtersB, float[] gammaA, float[] gammaB) {
        GraphBuilder g = new GraphBuilder();
        String a = g.bn("a_bn", g.conv("a", ModelSpec.INPUT, filtersA.length, 1, 1, 0));
        String b = g.bn("b_bn", g.conv("b", ModelSpec.INPUT, filtersB.length, 1, 1, 0));
        String x = g.relu(g.sum("join", a, b));
        String out = g.linear("fc", g.flatten(g.globalAvgPool(x)), 3);
        ModelPackage pkg = g.build("residual", "residual", INPUT, 3, out, 1);
        return withValues(pkg, Map.of("a.weight", flatten(filtersA), "b.weight", flatten(filtersB),
                "a_bn.gamma", gammaA, "b_bn.gamma", gammaB));
    }

    static ModelPackage withValues(ModelPackage pkg, Map<String, float[]> values) {
        Map<String, Tensor> w = pkg.copyWeights();
        values.forEach((key, v) -> w.put(key, new Tensor(w.get(key).shape(), v.clone())));
        return new ModelPackage(pkg.spec(), w);
    }

    static float[] flatten(float[][] rows) {
        int len = rows[0].length;
        float[] out = new float[rows.length * len];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, out, r * len, len);
        }
        return out;
    }
}
