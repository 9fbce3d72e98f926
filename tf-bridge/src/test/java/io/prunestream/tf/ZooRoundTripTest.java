package io.prunestream.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import io.prunestream.core.zoo.GraphBuilder;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.tf.bench.BaselinePruning;
import io.prunestream.tf.export.SavedModelExporter;
import io.prunestream.tf.parity.ParityCheck;
import io.prunestream.tf.parity.ParityReport;
import io.prunestream.core.data.RandomImages;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every zoo architecture, pruned or not, exports, runs on TensorFlow like on PyTorch, and imports back. */
class ZooRoundTripTest {
    static Stream<ModelPackage> packages() {
        // ResNet-32/56 repeat ResNet-20's ops and would only add minutes.
        Stream<ModelPackage> zoo = ModelZoo.ARCHITECTURES.stream().filter(a -> !a.equals("resnet32") && !a.equals("resnet56"))
                .map(a -> ModelZoo.create(a, 7));
        return Stream.concat(zoo, Stream.of(BaselinePruning.toFlops(ModelZoo.create("resnet20", 7), 0.5).pruned(),
                BaselinePruning.toFlops(ModelZoo.create("mobilenetv2-small", 7), 0.5).pruned(), grouped()));
    }

    /** Ops the zoo lacks: a grouped (not depthwise) conv, padded pools, a flatten of a map into a dropout. */
    static ModelPackage grouped() {
        GraphBuilder g = new GraphBuilder();
        String x = g.convBnRelu("stem", ModelSpec.INPUT, 8, 3, 2, 1);
        x = g.relu(g.convGrouped("grouped", x, 8, 3, 1, 1, 2));
        x = g.avgPool(g.maxPool(x, 3, 2, 1), 3, 1, 1);
        x = g.dropout(g.flatten(x), 0.5);
        String out = g.linear("fc", x, 10);
        return g.build("grouped", "grouped", new InputSpec(1, 28, 28, 0.5, 0.25), 10, out, 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void exportsRunsAndImportsBack(ModelPackage pkg, @TempDir Path tmp) {
        Path out = tmp.resolve("savedmodel");
        SavedModelExporter.export(pkg, out, ExportOptions.defaults());
        ImageDataset data = RandomImages.pixels(pkg.spec().input(), pkg.spec().classes(), 64, 11);
        ParityReport r = ParityCheck.run(pkg, out, data, 32);
        double scale = 1 + r.maxAbsOutput();
        assertTrue(r.maxAbsDiff() < 1e-4 * scale, r.summary());
        assertTrue(r.predictionsAgree(), r.summary());

        ModelPackage back = SavedModelImporter.importModel(out, ImportOptions.defaults());
        // Import gives back the package's node ids, in order; dropout is the identity at inference and is not saved.
        assertEquals(pkg.spec().nodes().stream().filter(n -> n.op() != Op.DROPOUT).map(NodeSpec::id).toList(),
                back.spec().nodes().stream().map(NodeSpec::id).toList());
        assertEquals(pkg.spec().input(), back.spec().input(), "the export manifest carries the InputSpec back");
        ParityReport again = ParityCheck.run(back, out, data, 32);
        assertTrue(again.maxAbsDiff() < 1e-4 * scale, again.summary());
    }
}
