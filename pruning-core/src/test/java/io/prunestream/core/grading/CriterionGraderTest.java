package io.prunestream.core.grading;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        ImageDataset sample = RandomImages.sample(lenet.spec().input(), 10, 8, 4);
        List<ImportanceCriterion> criteria = new ArrayList<>();
        for (String name : List.of("l1", "bn-scale", "taylor", "oracle")) {
            criteria.add(Criteria.byName(name));
        }
        List<String> heard = new ArrayList<>();
        report = new CriterionGrader(4, new OracleCriterion(), heard::add).grade(lenet, sample, criteria, 1);
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
        assertTrue(md.contains("| conv2 | 16 |"), md);
        assertTrue(md.contains("n/a"), md);
        JsonNode json = new ObjectMapper().readTree(dir.resolve(GradingReportWriter.JSON).toFile());
        assertEquals("lenet", json.get("model").asText());
        assertEquals(4, json.get("criteria").size());
        assertEquals(1.0, json.get("criteria").get(3).get("overallRaw").asDouble(), 1e-9);
        assertTrue(json.get("criteria").get(1).get("overallRaw").isNull());
    }
}
