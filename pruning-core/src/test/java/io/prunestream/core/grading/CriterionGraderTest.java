package io.prunestream.core.grading;

import io.prunestream.core.data.RandomImages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunestream.core.data.ImageDataset;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ImportanceCriterion;
import io.prunestream.core.importance.OracleCriterion;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.zoo.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CriterionGraderTest {
    private static GradingReport report;

    @BeforeAll
    static void gradeLeNet() {
        ModelPackage lenet = ModelZoo.create("lenet", 2);
        ImageDataset sample = RandomImages.gaussian(lenet.spec().input(), 10, 8, 4);
        List<ImportanceCriterion> criteria = new ArrayList<>();
        for (String name : List.of("l1", "bn-scale", "taylor", "oracle")) {
            criteria.add(Criteria.byName(name));
        }
        List<String> heard = new ArrayList<>();
        // The same images for oracle and criteria, so that the oracle graded against itself must agree exactly.
        report = new CriterionGrader(4, new OracleCriterion(), heard::add).grade(lenet, sample, sample, criteria, 1);
        assertEquals(5, heard.size(), "one line for the oracle and one per criterion: " + heard);
    }

    @Test
    void theReportDescribesTheModelAndEveryCriterionInOrder() {
        assertEquals("lenet", report.model());
        assertEquals(8, report.samples());
        assertEquals(4, report.prunableGroups(), "conv1, conv2, fc1, fc2");
        assertEquals(6 + 16 + 120 + 84, report.channels());
        assertTrue(report.oracleSeconds() > 0);
        assertTrue(report.oracleNegativeShare() >= 0 && report.oracleNegativeShare() <= 1);
        assertEquals(List.of("l1", "bn-scale", "taylor", "oracle"),
                report.criteria().stream().map(GradingReport.CriterionGrade::criterion).toList());
    }

    @Test
    void theOracleGradedAgainstItselfCorrelatesPerfectly() {
        GradingReport.CriterionGrade oracle = report.criteria().get(3);
        assertEquals(1, oracle.overallRaw(), 1e-9);
        assertEquals(1, oracle.meanPerGroup(), 1e-9);
        oracle.groups().forEach(g -> assertEquals(1, g.spearman(), 1e-9, g.group()));
        // LeNet's four groups are each one layer's: all count as layers, and a perfect grade has no spread.
        assertEquals(4, oracle.perLayer().layers());
        assertEquals(1, oracle.perLayer().mean(), 1e-9);
        assertEquals(0, oracle.perLayer().halfWidth(), 1e-9);
        assertTrue(oracle.perLayerAbsolute().mean() <= 1);
    }

    @Test
    void layerMeansCarryAStudentTInterval() {
        GradingReport.LayerMean m = CriterionGrader.layerMean(List.of(0.2, 0.4, 0.6));
        assertEquals(0.4, m.mean(), 1e-12);
        // sd 0.2 over 3 layers, t(2, 0.975) = 4.303
        assertEquals(4.303 * 0.2 / Math.sqrt(3), m.halfWidth(), 1e-3);
        assertEquals(3, m.layers());
        assertNull(CriterionGrader.layerMean(List.of(0.5)).halfWidth(), "one layer has no interval");
        assertNull(CriterionGrader.layerMean(List.of()).mean());
    }

    @Test
    void theOracleAndTheCriteriaGetDisjointImages() {
        ImageDataset pool = RandomImages.gaussian(ModelZoo.create("lenet", 2).spec().input(), 10, 50, 4);
        List<ImageDataset> two = CriterionGrader.disjointSamples(pool, 30, 12, 7);
        assertEquals(30, two.get(0).size());
        assertEquals(12, two.get(1).size());
        java.util.Set<String> oracleImages = new java.util.HashSet<>();
        for (int i = 0; i < two.get(0).size(); i++) {
            oracleImages.add(java.util.Arrays.toString(two.get(0).image(i)));
        }
        for (int i = 0; i < two.get(1).size(); i++) {
            assertFalse(oracleImages.contains(java.util.Arrays.toString(two.get(1).image(i))), "image " + i + " shared");
        }
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> CriterionGrader.disjointSamples(pool, 45, 10, 7));
        assertTrue(tooMany.getMessage().contains("holds only 50"), tooMany.getMessage());
    }

    @Test
    void correlationsAreInRangeAndACriterionThatCannotScoreSaysWhy() {
        GradingReport.CriterionGrade l1 = report.criteria().get(0);
        assertNull(l1.error());
        assertEquals(4, l1.groups().size());
        for (Double v : new Double[] {l1.overallRaw(), l1.overallNormalised(), l1.meanPerGroup()}) {
            assertTrue(v >= -1 && v <= 1, "correlation " + v);
        }
        assertTrue(l1.seconds() >= 0);
        GradingReport.CriterionGrade bn = report.criteria().get(1);
        assertNotNull(bn.error());
        assertTrue(bn.error().contains("batch-norm"), bn.error());
        assertNull(bn.overallRaw());
    }

    @Test
    void writesMarkdownAndJson(@TempDir Path dir) throws Exception {
        GradingReportWriter.write(report, dir);
        String md = Files.readString(dir.resolve(GradingReportWriter.MARKDOWN));
        assertTrue(md.contains("| taylor | yes |"), md);
        assertTrue(md.contains("| conv2 | 16 | 1 |"), md);
        assertTrue(md.contains("n/a"), md);
        JsonNode json = new ObjectMapper().readTree(dir.resolve(GradingReportWriter.JSON).toFile());
        assertEquals("lenet", json.get("model").asText());
        assertEquals(4, json.get("criteria").size());
        assertEquals(1.0, json.get("criteria").get(3).get("overallRaw").asDouble(), 1e-9);
        assertTrue(json.get("criteria").get(1).get("overallRaw").isNull());
    }
}
