package io.prunestream.cli;

import io.prunestream.core.train.EpochStats;
import io.prunestream.core.train.ProgressListener;
import java.io.PrintWriter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A terminal progress bar per epoch showing loss and accuracy, driven by training callbacks. */
final class ProgressBars implements ProgressListener, AutoCloseable {
    private final String task;
    private final PrintWriter out;
    private ProgressBar bar;
    private int barEpoch = -1;

    ProgressBars(String task, PrintWriter out) {
        this.task = task;
        this.out = out;
    }

    @Override
    public void onBatch(int epoch, int batch, int batches, double loss, double accuracy) {
        if (bar == null || epoch != barEpoch) {
            close();
            bar = new ProgressBarBuilder().setTaskName(task + " epoch " + epoch).setInitialMax(batches)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build();
            barEpoch = epoch;
        }
        bar.stepTo(batch);
        bar.setExtraMessage(String.format(" loss %.4f acc %.3f", loss, accuracy));
    }

    @Override
    public void onEpoch(EpochStats s) {
        close();
        out.printf("%s epoch %d: loss %.4f, train accuracy %.4f, lr %.4f, %.1f s, %.0f images/s%n", task, s.epoch(),
                s.trainLoss(), s.trainAccuracy(), s.learningRate(), s.seconds(), s.imagesPerSecond());
        out.flush();
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
