package io.prunestream.tf.parity;

import ai.djl.engine.Engine;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.data.InputTransform;
import io.prunestream.tf.OutputActivation;
import io.prunestream.tf.convert.Layouts;
import java.nio.file.Path;

/**
 * Checks a SavedModel against a package: the package runs on the PyTorch engine, the SavedModel on
 * DJL's TensorFlow engine, both fed the same images (the dataset's, already normalised by the
 * package's InputSpec, then the package's {@link InputTransform}), NCHW and NHWC respectively. The
 * package's logits go through the SavedModel's output activation before comparing.
 */
public final class ParityCheck {
    private static final String PYTORCH = "PyTorch";

    private ParityCheck() {}

    /** With the activation import recorded in the package (export puts the same one back). */
    public static ParityReport run(ModelPackage pkg, Path savedModel, ImageDataset data, int batchSize) {
        return run(pkg, savedModel, data, batchSize, OutputActivation.of(pkg.spec()));
    }

    public static ParityReport run(ModelPackage pkg, Path savedModel, ImageDataset data, int batchSize,
            OutputActivation activation) {
        InputTransform transform = InputTransform.of(pkg.spec());
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        double maxDiff = 0;
        double maxOut = 0;
        int pkgCorrect = 0;
        int tfCorrect = 0;
        int same = 0;
        try (ModelRunner torch = new ModelRunner(pkg, Engine.getEngine(PYTORCH).defaultDevice());
                SavedModelRunner tf = SavedModelRunner.open(savedModel)) {
            for (int start = 0; start < data.size(); start += batchSize) {
                int n = Math.min(batchSize, data.size() - start);
                float[] images = transform.apply(batch(data, start, n), n, c, h, w);
                float[][] expected = torch.logits(images, n);
                float[][] actual = tf.predict(Layouts.nchwToNhwc(images, n, c, h, w), n, h, w, c);
                for (int i = 0; i < n; i++) {
                    float[] e = activation.apply(expected[i]);
                    if (actual[i].length != e.length) {
                        throw new IllegalStateException(savedModel + " outputs " + actual[i].length
                                + " values per image, the package " + e.length);
                    }
                    for (int k = 0; k < e.length; k++) {
                        maxDiff = Math.max(maxDiff, Math.abs(e[k] - actual[i][k]));
                        maxOut = Math.max(maxOut, Math.abs(e[k]));
                    }
                    int label = data.labelAt(start + i);
                    int p = argmax(e);
                    int q = argmax(actual[i]);
                    pkgCorrect += p == label ? 1 : 0;
                    tfCorrect += q == label ? 1 : 0;
                    same += p == q ? 1 : 0;
                }
            }
        }
        int total = data.size();
        return new ParityReport(total, maxDiff, maxOut, (double) pkgCorrect / total, (double) tfCorrect / total, same);
    }

    static float[] batch(ImageDataset data, int start, int n) {
        int size = data.imageSize();
        float[] out = new float[n * size];
        for (int i = 0; i < n; i++) {
            System.arraycopy(data.image(start + i), 0, out, i * size, size);
        }
        return out;
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
