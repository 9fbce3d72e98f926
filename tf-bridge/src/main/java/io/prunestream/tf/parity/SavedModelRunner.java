package io.prunestream.tf.parity;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import io.prunestream.core.model.ModelFormatException;
import io.prunestream.tf.TfRuntime;
import io.prunestream.tf.savedmodel.GraphSafety;
import io.prunestream.tf.savedmodel.SavedModelFolder;
import io.prunestream.tf.savedmodel.SavedModelLimits;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Runs an image-classifier SavedModel on DJL's TensorFlow engine: NHWC float batches in, one row per
 * image out. The SavedModel passes the same file limits and op allow-list as an import first, since
 * loading it runs its graph.
 */
public final class SavedModelRunner implements AutoCloseable {
    private final Path dir;
    private final ZooModel<NDList, NDList> model;
    private final Predictor<NDList, NDList> predictor;

    private SavedModelRunner(Path dir, ZooModel<NDList, NDList> model) {
        this.dir = dir;
        this.model = model;
        this.predictor = model.newPredictor();
    }

    public static SavedModelRunner open(Path dir) {
        GraphSafety.check(SavedModelFolder.open(dir, SavedModelLimits.DEFAULT).serveGraph(), dir.toString());
        TfRuntime.ensureLoaded();
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(dir)
                .optEngine(TfRuntime.ENGINE)
                .optTranslator(new NoopTranslator())
                .build();
        try {
            return new SavedModelRunner(dir, criteria.loadModel());
        } catch (IOException | ModelNotFoundException | MalformedModelException e) {
            throw new ModelFormatException("DJL's TensorFlow engine cannot load " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Outputs for {@code n} images given as one NHWC array; {@code [n][outputs]}. */
    public float[][] predict(float[] nhwc, int n, int height, int width, int channels) {
        try (NDManager batch = model.getNDManager().newSubManager()) {
            NDArray x = batch.create(nhwc, new Shape(n, height, width, channels));
            NDList out = predictor.predict(new NDList(x));
            float[] flat = out.get(0).toFloatArray();
            out.close();
            int width1 = flat.length / n;
            float[][] rows = new float[n][width1];
            for (int i = 0; i < n; i++) {
                System.arraycopy(flat, i * width1, rows[i], 0, width1);
            }
            return rows;
        } catch (TranslateException e) {
            throw new IllegalStateException("TensorFlow failed to run " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
