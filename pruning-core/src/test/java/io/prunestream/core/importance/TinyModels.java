package io.prunestream.core.importance;

import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.Tensor;
import io.prunestream.core.zoo.GraphBuilder;
import java.util.Map;
import java.util.Random;

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

    /**
     * input → 1x1 conv "c" (filters {@code c}) → BN → ReLU → 1x1 conv "d" (filters {@code d}, one row
     * per output, one column per channel of c) → BN → ReLU → global pooling → linear "fc" (3 classes):
     * two groups, c consumed by d and d consumed by fc.
     */
    static ModelPackage twoConvs(float[][] c, float[][] d) {
        GraphBuilder g = new GraphBuilder();
        String x = g.convBnRelu("c", ModelSpec.INPUT, c.length, 1, 1, 0);
        x = g.convBnRelu("d", x, d.length, 1, 1, 0);
        String out = g.linear("fc", g.flatten(g.globalAvgPool(x)), 3);
        ModelPackage pkg = g.build("two", "two", INPUT, 3, out, 1);
        return withValues(pkg, Map.of("c.weight", flatten(c), "d.weight", flatten(d)));
    }

    /**
     * A small net with every structure removal must handle, random weights and BN statistics: a
     * residual group (stem and "b" joined by an add) that a depthwise conv also carries, a concat of
     * that group with group "p", max pooling and a flatten read by linear "h" (each channel spans 9
     * features), and group "h" read by the classifier.
     */
    static ModelPackage mixed(long seed) {
        GraphBuilder g = new GraphBuilder();
        String x0 = g.convBnRelu("stem", ModelSpec.INPUT, 4, 3, 1, 1);
        String x1 = g.relu(g.sum("join", g.bn("b_bn", g.conv("b", x0, 4, 3, 1, 1)), x0));
        String d = g.relu(g.bn("dw_bn", g.convGrouped("dw", x1, 4, 3, 1, 1, 4)));
        String p = g.convBnRelu("p", x1, 3, 1, 1, 0);
        String flat = g.flatten(g.maxPool(g.concat("cat", d, p), 2, 2, 0));
        String h = g.relu(g.linear("h", flat, 5));
        String out = g.linear("fc", h, 3);
        return randomNorms(g.build("mixed", "mixed", new InputSpec(2, 6, 6, 0, 1), 3, out, seed), new Random(seed));
    }

    /** BN statistics and shifts away from identity, so that no channel is a copy of another. */
    static ModelPackage randomNorms(ModelPackage pkg, Random random) {
        Map<String, Tensor> w = pkg.copyWeights();
        w.forEach((key, t) -> {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                if (key.endsWith(".gamma") || key.endsWith(".running_var")) {
                    d[i] = 0.5f + random.nextFloat();
                } else if (key.endsWith(".beta") || key.endsWith(".running_mean") || key.endsWith(".bias")) {
                    d[i] = (random.nextFloat() - 0.5f) * 0.4f;
                }
            }
        });
        return new ModelPackage(pkg.spec(), w);
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
