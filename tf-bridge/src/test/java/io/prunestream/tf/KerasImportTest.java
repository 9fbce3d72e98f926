package io.prunestream.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.data.InputTransform;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.NodeSpec;
import io.prunestream.core.model.Op;
import io.prunestream.tf.parity.ParityCheck;
import io.prunestream.tf.parity.ParityReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The third-party Keras CNN imports, and computes what TensorFlow computes from the SavedModel. */
class KerasImportTest {
    @Test
    void importsEveryLayerWithKerasNames() {
        ModelPackage pkg = SavedModelImporter.importModel(TestData.kerasMnistCnn(),
                ImportOptions.defaults().withInputTransform(InputTransform.COLUMN_L2));
        assertEquals(List.of("conv2d", "conv2d_relu", "batch_normalization", "max_pooling2d", "conv2d_1",
                "conv2d_1_relu", "batch_normalization_1", "max_pooling2d_1", "conv2d_2", "conv2d_2_relu",
                "batch_normalization_2", "flatten", "dense", "dense_relu", "dense_1"),
                pkg.spec().nodes().stream().map(NodeSpec::id).toList());
        assertEquals(new InputSpec(1, 28, 28, 0, 1), pkg.spec().input());
        assertEquals("dense_1", pkg.spec().output());
        NodeSpec bn = pkg.spec().requireNode("batch_normalization");
        assertEquals((double) 0.001f, bn.doubleAttr("eps", 0), "Keras' epsilon, as the graph's op holds it");
        NodeSpec conv = pkg.spec().requireNode("conv2d_1");
        assertEquals(Op.CONV2D, conv.op());
        assertTrue(conv.boolAttr("bias", false));
        assertEquals("softmax", pkg.spec().info().get("tf.output_activation"));
        assertEquals("keras-normalize-axis1", pkg.spec().info().get("input_transform"));
        // Keras counts 131,530 with the BN moving statistics, which packages leave out of the parameter count.
        assertEquals(131_210, pkg.parameterCount());
    }

    @Test
    void matchesTensorFlowOnTenThousandDigits() {
        ModelPackage pkg = SavedModelImporter.importModel(TestData.kerasMnistCnn(),
                ImportOptions.defaults().withInputTransform(InputTransform.COLUMN_L2));
        ParityReport r = ParityCheck.run(pkg, TestData.kerasMnistCnn(), TestData.mnist(10_000), 500);
        System.out.println("imported Keras CNN vs its SavedModel: " + r.summary());
        assertEquals(10_000, r.samples());
        assertTrue(r.maxAbsDiff() < 1e-4, r.summary());
        assertEquals(r.packageAccuracy(), r.savedModelAccuracy(), r.summary());
        assertTrue(r.predictionsAgree(), r.summary());
        assertTrue(r.packageAccuracy() > 0.95, r.summary());
    }
}
