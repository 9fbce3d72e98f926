package io.prunestream.tf.bench;

import ai.djl.engine.Engine;
import io.prunestream.core.cost.TimedForward;
import io.prunestream.core.model.InputSpec;
import io.prunestream.tf.TfRuntime;
import io.prunestream.tf.parity.SavedModelRunner;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A SavedModel on DJL's TensorFlow engine, timed the way pruning-core's LatencyMeter times packages on
 * PyTorch (so both engines can be measured in the same interleaved rounds): input made before the
 * clock starts, outputs read back (which TensorFlow does anyway).
 */
final class SavedModelForward implements TimedForward {
    private final SavedModelRunner runner;
    private final InputSpec in;
    /** One input per batch size, made once: filling 256 images each run would cost more than a small model. */
    private final Map<Integer, float[]> inputs = new HashMap<>();

    private SavedModelForward(SavedModelRunner runner, InputSpec in) {
        this.runner = runner;
        this.in = in;
    }

    static SavedModelForward open(Path dir, InputSpec in) {
        return new SavedModelForward(SavedModelRunner.open(dir), in);
    }

    @Override
    public String device() {
        return Engine.getEngine(TfRuntime.ENGINE).defaultDevice().toString();
    }

    @Override
    public double forwardMs(int batchSize) {
        float[] x = inputs.computeIfAbsent(batchSize, this::gaussian);
        long start = System.nanoTime();
        runner.predict(x, batchSize, in.height(), in.width(), in.channels());
        return (System.nanoTime() - start) / 1e6;
    }

    private float[] gaussian(int batchSize) {
        float[] x = new float[batchSize * in.channels() * in.height() * in.width()];
        Random random = new Random(batchSize);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        return x;
    }

    @Override
    public void close() {
        runner.close();
    }
}
