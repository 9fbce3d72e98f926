package io.prunestream.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.data.InputTransform;
import io.prunestream.core.model.ModelFormatException;
import io.prunestream.tf.savedmodel.ForbiddenOpsException;
import io.prunestream.tf.savedmodel.SavedModelLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What import refuses, and that it refuses before TensorFlow runs anything. */
class ImportSafetyTest {
    @TempDir
    Path tmp;

    private ForbiddenOpsException refused(java.util.function.UnaryOperator<org.tensorflow.proto.GraphDef> edit) {
        Path model = SavedModels.edited(TestData.kerasMnistCnn(), tmp.resolve("model"), edit);
        return assertThrows(ForbiddenOpsException.class, () -> SavedModelImporter.importModel(model,
                ImportOptions.defaults()));
    }

    @Test
    void refusesFileAccessInTheMainGraph() {
        ForbiddenOpsException e = refused(SavedModels.addMainNode("ReadFile"));
        assertEquals(List.of("ReadFile"), e.ops());
        assertTrue(e.getMessage().contains("ReadFile (node 'tampered')"), e.getMessage());
    }

    @Test
    void refusesPythonCallsInsideFunctions() {
        ForbiddenOpsException e = refused(SavedModels.addFunctionNode("__inference__wrapped_model", "PyFunc"));
        assertEquals(List.of("PyFunc"), e.ops());
        assertTrue(e.getMessage().contains("of function '__inference__wrapped_model"), e.getMessage());
    }

    @Test
    void refusesCheckpointOpsOutsideTheSaver() {
        // The same op is accepted in __inference__traced_restore, which only the saver calls.
        ForbiddenOpsException e = refused(SavedModels.addFunctionNode("__inference_signature_wrapper", "RestoreV2"));
        assertEquals(List.of("RestoreV2"), e.ops());
    }

    @Test
    void listsEveryForbiddenOpAtOnce() {
        ForbiddenOpsException e = refused(g -> SavedModels.addFunctionNode("_wrapped_model", "PrintV2")
                .apply(SavedModels.addMainNode("WriteFile").apply(g)));
        assertEquals(List.of("PrintV2", "WriteFile"), e.ops());
    }

    @Test
    void namesUnsupportedButHarmlessOps() {
        Path model = SavedModels.edited(TestData.kerasMnistCnn(), tmp.resolve("elu"),
                SavedModels.replaceOp("_wrapped_model", "Relu", "Elu"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SavedModelImporter.importModel(model, ImportOptions.defaults()));
        assertFalse(e instanceof ForbiddenOpsException);
        assertTrue(e.getMessage().contains("Elu (4x, e.g. "), e.getMessage());
    }

    @Test
    void appliesSizeLimitsToEveryFile() {
        SavedModelLimits small = new SavedModelLimits(1L << 20, 10_000, 1L << 20, 1L << 30, 100);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> SavedModelImporter.importModel(
                TestData.kerasMnistCnn(), ImportOptions.defaults().withLimits(small)));
        assertTrue(e.getMessage().contains("variables.data-00000-of-00001' is 1592451 bytes, over the limit of 10000"),
                e.getMessage());
        SavedModelLimits smallGraph = new SavedModelLimits(1000, 1L << 30, 1L << 20, 1L << 30, 100);
        e = assertThrows(ModelFormatException.class, () -> SavedModelImporter.importModel(TestData.kerasMnistCnn(),
                ImportOptions.defaults().withLimits(smallGraph)));
        assertTrue(e.getMessage().contains("'saved_model.pb' is "), e.getMessage());
    }

    @Test
    void refusesSymbolicLinks() throws Exception {
        Path model = SavedModels.edited(TestData.kerasMnistCnn(), tmp.resolve("linked"), g -> g);
        Files.createSymbolicLink(model.resolve("assets.txt"), Path.of("/etc/hostname"));
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SavedModelImporter.importModel(model, ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("'assets.txt' is a symbolic link"), e.getMessage());
    }

    @Test
    void saysWhatIsMissing() {
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> SavedModelImporter.importModel(tmp, ImportOptions.defaults()));
        assertTrue(e.getMessage().contains("holds no saved_model.pb"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> SavedModelImporter.importModel(TestData.kerasMnistCnn(),
                new ImportOptions(null, "predict", InputTransform.NONE, SavedModelLimits.DEFAULT)));
        assertTrue(e.getMessage().contains("has no signature 'predict' (signatures: [serving_default])"), e.getMessage());
    }
}
