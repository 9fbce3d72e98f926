package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir
    Path dir;

    @Test
    void aLogScaleLineChartLeavesOutWhatALogAxisCannotShowAndIsAPng() throws Exception {
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("distance", new double[] {90, 40, 12, 0.0, Double.NaN, 3});
        series.put("cross-entropy", new double[] {2.3, 0.9, 0.4, 0.3});
        Path png = dir.resolve("loss.png");

        Charts.lines("loss", "step", "loss", series, true, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(Charts.WIDTH, image.getWidth());
        assertEquals(Charts.HEIGHT, image.getHeight());
        boolean drawn = false;
        for (int x = 0; x < image.getWidth() && !drawn; x += 4) {
            for (int y = 0; y < image.getHeight() && !drawn; y += 4) {
                int rgb = image.getRGB(x, y) & 0xffffff;
                drawn = rgb != 0xffffff && rgb != 0xeeeeee;
            }
        }
        assertTrue(drawn, "the chart has something on it");
    }
}
