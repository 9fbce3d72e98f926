package io.prunestream.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.cost.CostModel;
import io.prunestream.core.data.InputTransform;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.tf.bench.BaselinePruning;
import io.prunestream.tf.export.SavedModelExporter;
import io.prunestream.tf.parity.ParityCheck;
import io.prunestream.tf.parity.ParityReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KerasPruneExportTest {
    @Test
    void prunedKerasModelExportsAndRunsOnTensorFlow(@TempDir Path tmp) {
        ModelPackage pkg = SavedModelImporter.importModel(TestData.kerasMnistCnn(),
                ImportOptions.defaults().withInputTransform(InputTransform.COLUMN_L2));
        ModelPackage pruned = BaselinePruning.toFlops(pkg, 0.5).pruned();
        double kept = (double) CostModel.of(pruned.graph()).macs() / CostModel.of(pkg.graph()).macs();
        assertTrue(kept <= 0.5, "FLOPs kept " + kept);

        Path out = tmp.resolve("pruned-savedmodel");
        SavedModelExporter.export(pruned, out, ExportOptions.defaults());
        ParityReport r = ParityCheck.run(pruned, out, TestData.mnist(2000), 500);
        System.out.println(r.summary());
        assertTrue(r.predictionsAgree(), r.summary());
        assertEquals(r.packageAccuracy(), r.savedModelAccuracy(), r.summary());
        assertTrue(r.maxAbsDiff() < 1e-4, r.summary());
    }
}
