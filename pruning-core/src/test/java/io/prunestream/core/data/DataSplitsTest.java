package io.prunestream.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSplitsTest {
    private static final InputSpec INPUT = new InputSpec(1, 2, 3, 0.5, 0.25);

    @TempDir
    Path dir;

    /** A model spec that only says what input it takes; the splits never look at the graph. */
    private static ModelSpec model(Map<String, Object> info) {
        return new ModelSpec(ModelSpec.FORMAT_VERSION, "m", "test", INPUT, 4, List.of(), "out", info);
    }

    @Test
    void aModelWithAnInputTransformGetsEverySplitTransformed() throws IOException {
        IdxTestFiles.writePair(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 24, 4, false);
        IdxTestFiles.writePair(dir, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", 6, 4, false);
        DataSplits.Limits all = DataSplits.Limits.NONE;

        DataSplits plain = DataSplits.load(dir, INPUT, 7, all);
        DataSplits keras = DataSplits.load(dir, model(Map.of(InputTransform.INFO_KEY,
                InputTransform.COLUMN_L2.key())), 7, all);

        for (int i = 0; i < plain.test().size(); i++) {
            assertArrayEquals(InputTransform.COLUMN_L2.apply(plain.test().image(i), 1, 1, 2, 3), keras.test().image(i),
                    1e-6f, "test image " + i);
        }
        assertArrayEquals(InputTransform.COLUMN_L2.apply(plain.train().image(0), 1, 1, 2, 3), keras.train().image(0),
                1e-6f);
        assertArrayEquals(plain.heldOut().labels(), keras.heldOut().labels(), "same split, same labels");
        // every column of a transformed image has unit norm (or is all zero)
        float[] x = keras.train().image(1);
        for (int col = 0; col < 3; col++) {
            double norm = Math.sqrt(x[col] * x[col] + x[3 + col] * x[3 + col]);
            assertTrue(norm == 0 || Math.abs(norm - 1) < 1e-5, "column " + col + " norm " + norm);
        }
    }

    @Test
    void aModelWithoutATransformGetsTheNormalisedImagesUnchanged() throws IOException {
        IdxTestFiles.writePair(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 24, 4, false);
        DataSplits plain = DataSplits.load(dir, INPUT, 7, DataSplits.Limits.NONE);
        DataSplits none = DataSplits.load(dir, model(Map.of()), 7, DataSplits.Limits.NONE);
        assertEquals(plain.train().size(), none.train().size());
        assertArrayEquals(plain.train().image(3), none.train().image(3));
        assertSame(none.train(), InputTransform.NONE.apply(none.train()));
    }

    @Test
    void anUnknownTransformIsRefusedByName() throws IOException {
        IdxTestFiles.writePair(dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", 24, 4, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSplits.load(dir,
                model(Map.of(InputTransform.INFO_KEY, "sharpen")), 7, DataSplits.Limits.NONE));
        assertTrue(e.getMessage().contains("sharpen") && e.getMessage().contains("keras-normalize-axis1"),
                e.getMessage());
    }
}
