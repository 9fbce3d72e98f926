package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench peer} on the smallest budget, with an interpreter that does not exist, so it runs the
 * same whether or not this machine has torch: the section must hold PruneStream's figures and say
 * plainly that PyTorch was not measured, why, and how to get it. Its numbers mean nothing.
 */
class BenchPeerCommandTest {
    @TempDir
    Path dir;

    @Test
    void withoutTorchWritesPruneStreamsFiguresAndSaysWhatWasSkipped() throws Exception {
        Path doc = dir.resolve("BENCHMARKS.md");
        PrunectlCommandsTest.Run r = PrunectlCommandsTest.run("bench", "peer", "--rounds", "1", "--train-batches", "1",
                "--latency-runs", "1", "--python", "/nonexistent/python3", "--doc", doc.toString());
        assertEquals(0, r.exit(), r.err() + r.out());
        assertTrue(r.out().contains("PyTorch skipped"), r.out());

        String md = Files.readString(doc);
        String section = md.substring(md.indexOf("<!-- bench:peer -->"), md.indexOf("<!-- /bench:peer -->"));
        assertTrue(section.contains("## Peer: PruneStream against PyTorch"), section);
        assertTrue(section.contains("- Machine: ") && section.contains("- Date: "), section);
        assertTrue(section.contains("--python /nonexistent/python3"), "command line missing:\n" + section);
        for (String row : new String[] {"training, batch 128 \\| higher \\| \\d+ img/s",
                "inference, batch 1 \\| lower \\| [\\d.]+ ms", "inference, batch 256 \\| lower \\| [\\d.]+ ms"}) {
            assertTrue(Pattern.compile(row + " ±\\d+% \\| not measured \\|").matcher(section).find(),
                    "row /" + row + "/ without PruneStream's figure:\n" + section);
        }
        assertTrue(section.contains("Peer, PyTorch in Python: **not measured**: no Python with torch found (/nonexistent/python3: "
                + "cannot run it"), section);
        assertTrue(section.contains("apt-get install python3-torch"), "no install hint:\n" + section);
        assertTrue(section.contains("of PruneStream alone"), section);
    }

    @Test
    void refusesAnEmptyBudgetBeforeMeasuring() {
        PrunectlCommandsTest.Run r = PrunectlCommandsTest.run("bench", "peer", "--rounds", "0", "--doc",
                dir.resolve("x.md").toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("--rounds, --train-batches and --latency-runs must be at least 1"), r.err());
        assertTrue(Files.notExists(dir.resolve("x.md")));
    }
}
