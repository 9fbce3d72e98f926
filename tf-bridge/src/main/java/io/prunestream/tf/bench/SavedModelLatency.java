package io.prunestream.tf.bench;

import io.prunestream.core.model.InputSpec;
import io.prunestream.tf.parity.SavedModelRunner;
import java.util.Arrays;
import java.util.Random;

/**
 * Inference latency of a SavedModel on DJL's TensorFlow engine, measured like pruning-core's
 * LatencyMeter measures packages on PyTorch: median of timed runs after untimed warm-up runs, input
 * made before the clock starts, outputs read back (which TensorFlow does anyway).
 */
final class SavedModelLatency {
    private SavedModelLatency() {}

    static double medianMs(SavedModelRunner runner, InputSpec in, int batch, int warmup, int runs) {
        float[] x = new float[batch * in.channels() * in.height() * in.width()];
        Random random = new Random(batch);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < warmup; i++) {
            runner.predict(x, batch, in.height(), in.width(), in.channels());
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            runner.predict(x, batch, in.height(), in.width(), in.channels());
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return runs % 2 == 1 ? ms[runs / 2] : (ms[runs / 2 - 1] + ms[runs / 2]) / 2;
    }
}
