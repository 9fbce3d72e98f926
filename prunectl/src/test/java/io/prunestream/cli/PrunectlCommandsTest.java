package io.prunestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.allocation.ChannelRounding;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.dependency.ChannelGroup;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.testing.RequiredData;
import io.prunestream.core.testing.SyntheticIdx;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.JobSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as a user drives it: arguments in, text and files out, exit codes. */
class PrunectlCommandsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        CommandLine cli = PrunectlMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void inspectListsNodesGroupsAndCosts() {
        Run r = run("inspect", "zoo:resnet20");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("s1b1_conv1"), r.out());
        assertTrue(r.out().contains("no: it is the classifier output"), r.out());
        assertTrue(r.out().contains("31.02M MACs per image"), r.out());
    }

    @Test
    void pruneWithoutDataHalvesFlopsAndWritesALoadablePackage() {
        Path out = dir.resolve("lenet-half");
        Run r = run("prune", "--model", "zoo:vgg-small", "--criterion", "fpgm", "--allocation", "global",
                "--target-flops", "0.5", "--no-data", "--no-latency", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("FLOPs (MACs/image)"), r.out());
        ModelPackage pruned = PackageIO.load(out);
        double ratio = (double) CostModel.of(pruned.spec()).macs() / CostModel.of(ModelZoo.create("vgg-small", 1).spec()).macs();
        assertTrue(ratio <= 0.5 && ratio > 0.45, "FLOPs ratio " + ratio);
        assertEquals("fpgm", ((Map<?, ?>) pruned.spec().info().get("pruning")).get("criterion"));
    }

    @Test
    void pruneRoundsEveryCutGroupToTheMultipleAsked() {
        Path out = dir.resolve("vgg-aligned");
        Run r = run("prune", "--model", "zoo:vgg-small", "--allocation", "global", "--target-flops", "0.5",
                "--round-to", "16", "--no-data", "--no-latency", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("l1 + global (round-to 16): target FLOPs 50.0%"), r.out());
        ModelPackage pruned = PackageIO.load(out);
        DependencyGraph before = DependencyGraph.of(ModelZoo.create("vgg-small", 1).graph());
        DependencyGraph after = DependencyGraph.of(pruned.graph());
        for (ChannelGroup g : before.prunableGroups()) {
            int kept = after.group(g.id()).size();
            assertTrue(kept % 16 == 0 || kept == g.size(), g.name() + " keeps " + kept + " of " + g.size());
        }
        assertEquals(16, ((Map<?, ?>) pruned.spec().info().get("pruning")).get("roundTo"));
    }

    @Test
    void roundToIsExplainedWithItsDefaultAndCheckedByPruneAndSubmit() {
        for (String command : List.of("prune", "submit")) {
            String help = run(command, "--help").out().replaceAll("\\s+", " ");
            assertTrue(help.contains("--round-to=N every pruned group keeps a multiple of N channels"), help);
            assertTrue(help.contains("1 = no rounding") && help.contains("(default: "
                    + ChannelRounding.DEFAULT_ROUND_TO + ")"), help);
        }
        Run zero = run("prune", "--model", "zoo:lenet", "--target-flops", "0.5", "--no-data", "--no-latency",
                "--round-to", "0", "--out", dir.resolve("x").toString());
        assertEquals(1, zero.exit());
        assertTrue(zero.err().contains("round-to must be at least 1"), zero.err());
        Run tooWide = run("submit", "--model", "zoo:lenet", "--round-to", "300", "--bootstrap", "localhost:1",
                "--work-dir", dir.resolve("work").toString());
        assertEquals(1, tooWide.exit());
        assertTrue(tooWide.err().contains("roundTo must be between 1 and 256"), tooWide.err());
    }

    @Test
    void submitPutsRoundToIntoTheJobAndDefaultsToTheCoreConstant() {
        ArtifactRef model = new ArtifactRef("m.zip", 10, "a".repeat(64));
        SubmitCommand asked = new SubmitCommand();
        new CommandLine(asked).parseArgs("--model", "zoo:lenet", "--round-to", "16");
        assertEquals(16, asked.job.toSpec(model).roundTo());
        SubmitCommand plain = new SubmitCommand();
        new CommandLine(plain).parseArgs("--model", "zoo:lenet");
        assertEquals(ChannelRounding.DEFAULT_ROUND_TO, plain.job.toSpec(model).roundTo());
    }

    @Test
    void trainThenPruneOnRealDataPrintsTheComparison() throws Exception {
        RequiredData.fashionMnist();
        Path trained = dir.resolve("lenet");
        Run t = run("train", "--arch", "lenet", "--epochs", "1", "--train-limit", "1000", "--test-limit", "200",
                "--lr", "0.05", "--out", trained.toString());
        assertEquals(0, t.exit(), t.err());
        assertTrue(Files.exists(trained.resolve("metrics.json")));
        assertTrue(t.out().contains("test accuracy"), t.out());
        Run p = run("prune", "--model", trained.toString(), "--target-params", "0.6", "--train-limit", "500",
                "--held-out-limit", "200", "--test-limit", "200", "--out", dir.resolve("p").toString());
        assertEquals(0, p.exit(), p.err());
        assertTrue(p.out().contains("finetune               completed"), p.out());
        assertTrue(p.out().contains("test accuracy") && p.out().contains("latency batch 256 (ms)"), p.out());
        assertTrue(p.out().contains("target: keep 60.0% of params"), p.out());
        ModelPackage pruned = PackageIO.load(dir.resolve("p"));
        Map<?, ?> pruning = (Map<?, ?>) pruned.spec().info().get("pruning");
        assertEquals("score:l1 -> prune:uniform -> evaluate:adaptive-bn -> finetune -> evaluate:final", pruning.get("slip"));
        assertEquals(JobSpec.Builder.DEFAULT_FINETUNE_EPOCHS, pruning.get("finetuneEpochs"), "submit's default");
    }

    @Test
    void pruneRunsTheStrategiesOnlyThePipelineHadWithSubmitsNamesAndDefaults() {
        String help = run("prune", "--help").out().replaceAll("\\s+", " ");
        for (String allocation : new JobOptions.AllocationNames()) {
            assertTrue(help.contains(" " + allocation), allocation + " in " + help);
        }
        for (String strategy : List.of("eagleeye", "aofp", "dsa")) {
            assertTrue(help.contains(strategy), strategy + " in " + help);
        }
        CommandLine prune = new CommandLine(new PruneCommand());
        CommandLine submit = new CommandLine(new SubmitCommand());
        for (picocli.CommandLine.Model.OptionSpec option : submit.getCommandSpec().options()) {
            picocli.CommandLine.Model.OptionSpec same = prune.getCommandSpec().findOption(option.longestName());
            if (same != null) {
                assertEquals(option.defaultValue(), same.defaultValue(), option.longestName());
            }
        }
        Path data = SyntheticIdx.fashionShaped(dir.resolve("data"), 300, 1);
        Run aofp = run("prune", "--model", "zoo:lenet", "--allocation", "aofp", "--round-to", "1", "--data", data.toString(),
                "--finetune-epochs", "0", "--calibration-batches", "2", "--out", dir.resolve("aofp").toString());
        assertEquals(0, aofp.exit(), aofp.err());
        assertTrue(aofp.out().contains("score:l1 -> prune:aofp -> evaluate:aofp -> finetune -> evaluate:final"), aofp.out());
        assertTrue(aofp.out().contains("wrote " + dir.resolve("aofp")), aofp.out());
        assertTrue(CostModel.of(PackageIO.load(dir.resolve("aofp")).spec()).macs()
                < CostModel.of(ModelZoo.create("lenet", 1).spec()).macs());

        Run unknown = run("prune", "--model", "zoo:lenet", "--allocation", "golbal", "--data", data.toString(),
                "--out", dir.resolve("x").toString());
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("unknown prune variant 'golbal'"), unknown.err());
        assertFalse(Files.exists(dir.resolve("x")), "nothing written for a job that could not start");
    }

    @Test
    void divergedFineTuningKeepsTheCutModelAndFails() {
        // Random images and a learning rate no model survives: no real data needed.
        Path data = SyntheticIdx.fashionShaped(dir.resolve("data"), 400, 1);
        Path out = dir.resolve("cut");
        Run r = run("prune", "--model", "zoo:lenet", "--target-flops", "0.5", "--round-to", "1", "--data", data.toString(),
                "--finetune-epochs", "3", "--lr", "1e30", "--out", out.toString());

        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("error: fine-tuning failed: training diverged at step "), r.err());
        assertTrue(r.err().contains("learning rate too high"), r.err());
        assertTrue(r.err().contains("wrote the cut model, before fine-tuning, to " + out), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        ModelPackage cut = PackageIO.load(out);
        Map<?, ?> pruning = (Map<?, ?>) cut.spec().info().get("pruning");
        assertEquals(0, pruning.get("finetuneEpochs"));
        assertTrue(pruning.get("finetuneDiverged").toString().startsWith("training diverged at step "), pruning.toString());
        assertTrue(CostModel.of(cut.spec()).macs() < CostModel.of(ModelZoo.create("lenet", 1).spec()).macs());
    }

    @Test
    void badInputGivesOneClearLine() {
        Run unknown = run("prune", "--model", "zoo:lenet", "--criterion", "magic", "--target-flops", "0.5", "--no-data",
                "--out", dir.resolve("x").toString());
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("magic"), unknown.err());
        assertTrue(!unknown.err().contains("\tat "), "no stack trace: " + unknown.err());

        Run missing = run("inspect", dir.resolve("nothing-here").toString());
        assertEquals(1, missing.exit());
        assertTrue(missing.err().contains("no model package at"), missing.err());

        Run noIntake = run("submit", "--model", "zoo:lenet", "--intake", "http://localhost:1", "--bootstrap",
                "localhost:1", "--work-dir", dir.resolve("work").toString());
        assertEquals(1, noIntake.exit());
        assertTrue(noIntake.err().contains("cannot reach the intake at http://localhost:1"), noIntake.err());
        assertTrue(!noIntake.err().contains("\tat "), "no stack trace: " + noIntake.err());

        Run badStore = run("up", "--store", "ftp://bucket/prefix", "--work-dir", dir.resolve("work").toString());
        assertEquals(1, badStore.exit());
        assertTrue(badStore.err().contains("unsupported scheme 'ftp'"), badStore.err());

        Run noBroker = run("cancel", "some-job", "--bootstrap", "localhost:1", "--work-dir", dir.resolve("work").toString());
        assertEquals(1, noBroker.exit());
        assertTrue(noBroker.err().contains("cannot reach Kafka at localhost:1"), noBroker.err());

        Run typo = run("submit", "--model", "zoo:lenet", "--option", "distilation.weight=0.5", "--bootstrap",
                "localhost:1", "--work-dir", dir.resolve("work").toString());
        assertEquals(1, typo.exit());
        assertTrue(typo.err().contains("unknown method option 'distilation.weight' (known: "), typo.err());
        assertTrue(typo.err().contains("distillation.weight"), typo.err());
    }
}
