package io.prunestream.cli;

import io.prunestream.core.grading.GradingReport;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Charts of reports as PNG files, drawn without a display. */
public final class Charts {
    static final int WIDTH = 1000;
    static final int HEIGHT = 560;

    private Charts() {}

    /** An x-y scatter of {@code x} against {@code y}, one series per entry of {@code series}. */
    public static void scatter(String title, String xLabel, String yLabel,
            java.util.Map<String, double[][]> series, Path png) {
        System.setProperty("java.awt.headless", "true");
        org.jfree.data.xy.XYSeriesCollection data = new org.jfree.data.xy.XYSeriesCollection();
        series.forEach((name, xy) -> {
            org.jfree.data.xy.XYSeries points = new org.jfree.data.xy.XYSeries(name, false, true);
            for (int i = 0; i < xy[0].length; i++) {
                points.add(xy[0][i], xy[1][i]);
            }
            data.addSeries(points);
        });
        JFreeChart chart = ChartFactory.createScatterPlot(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        ((org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(false);
        ((org.jfree.chart.axis.NumberAxis) chart.getXYPlot().getDomainAxis()).setAutoRangeIncludesZero(false);
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + png + ": " + e.getMessage(), e);
        }
    }

    /**
     * One group of bars per criterion: its Spearman correlation with the oracle over all channels
     * (raw and group-normalised) and averaged over groups. A criterion that could not score the model
     * has no bars; the axis spans the whole range [-1, 1] so that charts of different models compare.
     */
    public static void correlations(GradingReport report, Path png) {
        // Must precede the first AWT class: servers and CI machines have no display.
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (GradingReport.CriterionGrade g : report.criteria()) {
            data.addValue(g.perLayer() == null ? null : g.perLayer().mean(), "per layer (signed oracle)", g.criterion());
            data.addValue(g.perLayerAbsolute() == null ? null : g.perLayerAbsolute().mean(),
                    "per layer (oracle magnitude)", g.criterion());
            data.addValue(g.overallRaw(), "all channels (raw)", g.criterion());
        }
        JFreeChart chart = ChartFactory.createBarChart(
                "Spearman correlation with the oracle: " + report.model() + ", oracle on " + report.samples() + " images",
                "criterion", "Spearman ρ", data, PlotOrientation.VERTICAL, true, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.getRangeAxis().setRange(-1, 1);
        plot.getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        save(chart, png);
    }

    /** One line per named series, point {@code i} at x = i + 1 (epochs, for example). */
    public static void lines(String title, String xLabel, String yLabel, java.util.Map<String, double[]> series,
            Path png) {
        lines(title, xLabel, yLabel, series, false, png);
    }

    /**
     * Like {@link #lines(String, String, String, java.util.Map, Path)}, optionally with a logarithmic y axis
     * (for series of very different scales, such as a distillation distance beside a cross-entropy);
     * values a log axis cannot show (zero, negative, not finite) are left out there.
     */
    public static void lines(String title, String xLabel, String yLabel, java.util.Map<String, double[]> series,
            boolean logY, Path png) {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        series.forEach((name, values) -> {
            XYSeries s = new XYSeries(name);
            for (int i = 0; i < values.length; i++) {
                if (!logY || (values[i] > 0 && Double.isFinite(values[i]))) {
                    s.add(i + 1, values[i]);
                }
            }
            data.addSeries(s);
        });
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        if (logY) {
            chart.getXYPlot().setRangeAxis(new org.jfree.chart.axis.LogAxis(yLabel));
        }
        chart.getXYPlot().setBackgroundPaint(Color.WHITE);
        chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
        save(chart, png);
    }

    private static void save(JFreeChart chart, Path png) {
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart " + png + ": " + e.getMessage(), e);
        }
    }
}
