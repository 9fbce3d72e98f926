package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.core.testing.RequiredData;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code prunectl score}: the table it prints and the three report files it writes. */
class ScoreCommandTest {
    @TempDir
    Path dir;

    @Test
    void gradesEveryCriterionOnRandomDataAndWritesTableJsonAndChart() throws Exception {
        Path report = dir.resolve("report");
        PrunectlCommandsTest.Run r = PrunectlCommandsTest.run("score", "--model", "zoo:lenet", "--criteria", "all",
                "--samples", "16", "--oracle-samples", "24", "--random-data", "--report", report.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("per layer (signed)") && r.out().contains("all (raw)")
                && r.out().contains("taylor-weight"), r.out());
        // LeNet has no batch-norm: BN scale cannot score it and says so instead of failing the run.
        assertTrue(r.out().matches("(?s).*bn-scale\\s+no\\s+n/a.*"), r.out());
        assertReportFiles(report, 11);
    }

    @Test
    void gradesChosenCriteriaOnFashionMnist() throws Exception {
        RequiredData.fashionMnist();
        Path report = dir.resolve("real");
        PrunectlCommandsTest.Run r = PrunectlCommandsTest.run("score", "--model", "zoo:lenet", "--criteria",
                "l1,apoz,taylor", "--samples", "16", "--oracle-samples", "24", "--report", report.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("the oracle on 24 training images, the criteria on 16 others"), r.out());
        assertReportFiles(report, 3);
    }

    @Test
    void anUnknownCriterionIsOneClearLine() {
        PrunectlCommandsTest.Run r = PrunectlCommandsTest.run("score", "--model", "zoo:lenet", "--criteria", "l1,hrank",
                "--random-data", "--report", dir.resolve("x").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("'hrank'"), r.err());
    }

    private static void assertReportFiles(Path report, int criteria) throws Exception {
        String md = Files.readString(report.resolve("grading.md"));
        assertTrue(md.contains("| criterion |"), md);
        JsonNode json = new ObjectMapper().readTree(report.resolve("grading.json").toFile());
        assertEquals(criteria, json.get("criteria").size());
        assertEquals(24, json.get("samples").asInt(), "the oracle's images");
        assertEquals(16, json.get("criteriaSamples").asInt(), "the criteria's, disjoint from the oracle's");
        BufferedImage png = ImageIO.read(report.resolve("grading.png").toFile());
        assertNotNull(png, "grading.png is not an image ImageIO can read");
        assertEquals(Charts.WIDTH, png.getWidth());
        assertEquals(Charts.HEIGHT, png.getHeight());
    }
}
