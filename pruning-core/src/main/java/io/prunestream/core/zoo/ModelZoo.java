package io.prunestream.core.zoo;

import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import java.util.List;
import java.util.Locale;

/** Fresh, initialised model packages of the architectures PruneStream is tested on. */
public final class ModelZoo {
    public static final List<String> ARCHITECTURES =
            List.of("lenet", "vgg-small", "resnet20", "resnet32", "resnet56", "mobilenetv2-small", "inception-small");

    /** Fashion-MNIST's shape and normalisation: the default input of every zoo model. */
    public static final InputSpec FASHION_MNIST = new InputSpec(1, 28, 28, 0.2860, 0.3530);

    private ModelZoo() {}

    public static ModelPackage create(String architecture, long seed) {
        return create(architecture, FASHION_MNIST, 10, seed);
    }

    public static ModelPackage create(String architecture, InputSpec input, int classes, long seed) {
        String arch = architecture.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "lenet" -> lenet(input, classes, seed);
            case "vgg-small" -> vggSmall(input, classes, seed);
            case "resnet20" -> resnet(3, input, classes, seed);
            case "resnet32" -> resnet(5, input, classes, seed);
            case "resnet56" -> resnet(9, input, classes, seed);
            case "mobilenetv2-small" -> mobileNetV2Small(input, classes, seed);
            case "inception-small" -> inceptionSmall(input, classes, seed);
            default -> throw new IllegalArgumentException("unknown architecture '" + architecture + "' (known: "
                    + String.join(", ", ARCHITECTURES) + ")");
        };
    }

    /** LeNet-5 as in most tutorials: 5x5 convs 6 and 16, then 120-84-classes. */
    static ModelPackage lenet(InputSpec input, int classes, long seed) {
        GraphBuilder g = new GraphBuilder();
        String x = g.relu(g.conv("conv1", ModelSpec.INPUT, 6, 5, 1, 2));
        x = g.maxPool(x, 2, 2, 0);
        x = g.relu(g.conv("conv2", x, 16, 5, 1, 0));
        x = g.maxPool(x, 2, 2, 0);
        x = g.flatten(x);
        x = g.relu(g.linear("fc1", x, 120));
        x = g.relu(g.linear("fc2", x, 84));
        String out = g.linear("fc3", x, classes);
        return g.build("lenet", "lenet", input, classes, out, seed);
    }

    /** A small VGG with BN: three stages of two 3x3 convs (32, 64, 128), global pooling, one classifier. */
    static ModelPackage vggSmall(InputSpec input, int classes, long seed) {
        GraphBuilder g = new GraphBuilder();
        String x = ModelSpec.INPUT;
        int[] widths = {32, 64, 128};
        for (int s = 0; s < widths.length; s++) {
            x = g.convBnRelu("conv" + (s + 1) + "_1", x, widths[s], 3, 1, 1);
            x = g.convBnRelu("conv" + (s + 1) + "_2", x, widths[s], 3, 1, 1);
            x = g.maxPool(x, 2, 2, 0);
        }
        x = g.flatten(g.globalAvgPool(x));
        String out = g.linear("fc", x, classes);
        return g.build("vgg-small", "vgg-small", input, classes, out, seed);
    }

    /**
     * CIFAR-style ResNet-(6n+2): a 16-channel stem, three stages of n basic blocks (16, 32, 64
     * channels), 1x1 projection shortcuts where the shape changes (option B of the paper).
     */
    static ModelPackage resnet(int n, InputSpec input, int classes, long seed) {
        GraphBuilder g = new GraphBuilder();
        String x = g.convBnRelu("stem", ModelSpec.INPUT, 16, 3, 1, 1);
        int inChannels = 16;
        int[] widths = {16, 32, 64};
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < n; b++) {
                String name = "s" + (s + 1) + "b" + (b + 1);
                int stride = (s > 0 && b == 0) ? 2 : 1;
                String y = g.convBnRelu(name + "_conv1", x, widths[s], 3, stride, 1);
                y = g.bn(name + "_conv2_bn", g.conv(name + "_conv2", y, widths[s], 3, 1, 1));
                String shortcut = x;
                if (stride != 1 || inChannels != widths[s]) {
                    shortcut = g.bn(name + "_proj_bn", g.conv(name + "_proj", x, widths[s], 1, stride, 0));
                }
                x = g.relu(g.sum(name + "_add", y, shortcut));
                inChannels = widths[s];
            }
        }
        x = g.flatten(g.globalAvgPool(x));
        String out = g.linear("fc", x, classes);
        String arch = "resnet" + (6 * n + 2);
        return g.build(arch, arch, input, classes, out, seed);
    }

    /**
     * A narrow MobileNetV2 for 28x28 inputs: inverted residual blocks (expand 1x1, depthwise 3x3,
     * linear 1x1 projection) with settings (t, c, n, s) = (1,16,1,1), (6,24,2,2), (6,32,2,2), (6,64,1,1).
     */
    static ModelPackage mobileNetV2Small(InputSpec input, int classes, long seed) {
        GraphBuilder g = new GraphBuilder();
        String x = g.relu6(g.bn("stem_bn", g.conv("stem", ModelSpec.INPUT, 16, 3, 1, 1)));
        int in = 16;
        int[][] settings = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 2, 2}, {6, 64, 1, 1}};
        int block = 0;
        for (int[] st : settings) {
            for (int i = 0; i < st[2]; i++) {
                String name = "ir" + (++block);
                int stride = i == 0 ? st[3] : 1;
                int hidden = in * st[0];
                String y = x;
                if (st[0] != 1) {
                    y = g.relu6(g.bn(name + "_expand_bn", g.conv(name + "_expand", y, hidden, 1, 1, 0)));
                }
                y = g.relu6(g.bn(name + "_dw_bn", g.convGrouped(name + "_dw", y, hidden, 3, stride, 1, hidden)));
                y = g.bn(name + "_project_bn", g.conv(name + "_project", y, st[1], 1, 1, 0));
                x = (stride == 1 && in == st[1]) ? g.sum(name + "_add", y, x) : y;
                in = st[1];
            }
        }
        x = g.relu6(g.bn("head_bn", g.conv("head", x, 128, 1, 1, 0)));
        x = g.flatten(g.globalAvgPool(x));
        String out = g.linear("fc", x, classes);
        return g.build("mobilenetv2-small", "mobilenetv2-small", input, classes, out, seed);
    }

    /**
     * Two Inception-style blocks: 1x1, 1x1→3x3, 1x1→5x5-as-two-3x3 and a pooling branch, joined by
     * concat. The second block's pooling branch forwards its input's channels unchanged, so the
     * concat carries a group that also feeds other consumers.
     */
    static ModelPackage inceptionSmall(InputSpec input, int classes, long seed) {
        GraphBuilder g = new GraphBuilder();
        String x = g.convBnRelu("stem", ModelSpec.INPUT, 32, 3, 1, 1);
        x = inception(g, "inc1", x, true);
        x = g.maxPool(x, 2, 2, 0);
        x = inception(g, "inc2", x, false);
        x = g.maxPool(x, 2, 2, 0);
        x = g.convBnRelu("mix", x, 64, 1, 1, 0);
        x = g.flatten(g.globalAvgPool(x));
        String out = g.linear("fc", x, classes);
        return g.build("inception-small", "inception-small", input, classes, out, seed);
    }

    private static String inception(GraphBuilder g, String name, String x, boolean projectPool) {
        String b1 = g.convBnRelu(name + "_b1", x, 16, 1, 1, 0);
        String b2 = g.convBnRelu(name + "_b2_3x3", g.convBnRelu(name + "_b2_1x1", x, 16, 1, 1, 0), 24, 3, 1, 1);
        String b3 = g.convBnRelu(name + "_b3_1x1", x, 8, 1, 1, 0);
        b3 = g.convBnRelu(name + "_b3_3x3b", g.convBnRelu(name + "_b3_3x3a", b3, 12, 3, 1, 1), 12, 3, 1, 1);
        String b4 = g.maxPool(x, 3, 1, 1);
        if (projectPool) {
            b4 = g.convBnRelu(name + "_b4", b4, 8, 1, 1, 0);
        }
        return g.concat(name + "_concat", b1, b2, b3, b4);
    }
}
