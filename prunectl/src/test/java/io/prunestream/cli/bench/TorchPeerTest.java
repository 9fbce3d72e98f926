package io.prunestream.cli.bench;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.core.exec.ModelRunner;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.PackageIO;
import io.prunestream.core.zoo.GraphBuilder;
import io.prunestream.core.zoo.ModelZoo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python side of {@code bench peer}. Finding no torch is checked everywhere; that the script
 * builds the same network as PruneStream from a package, for every op a package may hold, only where
 * a Python with torch exists (Debian's python3-torch), and is skipped elsewhere, saying so.
 */
class TorchPeerTest {
    @TempDir
    Path dir;

    @Test
    void aPythonWithoutTorchIsRefusedWithItsOwnReason() throws Exception {
        Path fake = dir.resolve("python-without-torch");
        Files.writeString(fake, "#!/bin/sh\necho \"No module named 'torch'\" >&2\nexit 3\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        TorchPeer.UnavailableException e = assertThrows(TorchPeer.UnavailableException.class,
                () -> TorchPeer.locate(List.of(fake.toString(), "/nonexistent/python3"), 1, dir));
        assertTrue(e.getMessage().contains(fake + ": No module named 'torch'"), e.getMessage());
        assertTrue(e.getMessage().contains("/nonexistent/python3: cannot run it"), e.getMessage());
    }

    @Test
    void theScriptBuildsTheSameNetworkForEveryOp() {
        TorchPeer peer;
        try {
            peer = TorchPeer.locate(TorchPeer.DEFAULT_PYTHONS, 1, dir);
        } catch (TorchPeer.UnavailableException e) {
            assumeTrue(false, "no PyTorch to compare with: " + e.getMessage());
            return;
        }
        // Between them: conv (grouped, depthwise), BN, relu, relu6, both pools, global pooling, add,
        // concat, flatten, linear with and without BN before it, and dropout.
        for (ModelPackage model : List.of(ModelZoo.create("lenet", 3), ModelZoo.create("resnet20", 3),
                ModelZoo.create("mobilenetv2-small", 3), ModelZoo.create("inception-small", 3), avgPoolAndDropout())) {
            Path folder = dir.resolve(model.spec().name());
            PackageIO.save(model, folder);
            double difference = PeerBenchmark.checkSameNetwork(logits(model), peer.check(folder), peer.python());
            assertTrue(difference < PeerBenchmark.LOGITS_TOLERANCE, model.spec().name() + ": " + difference);
        }
    }

    @Test
    void aDifferentNetworkIsCaught() {
        TorchPeer.Figures peer = new TorchPeer.Figures("1.13", "3.11", "python3", 1, 1, true, List.of(),
                new float[] {1, 2, 3.5f}, java.util.Map.of(), 0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> PeerBenchmark.checkSameNetwork(new float[] {1, 2, 3}, peer, "python3"));
        assertTrue(e.getMessage().contains("computes other logits"), e.getMessage());
    }

    private static float[] logits(ModelPackage model) {
        try (ModelRunner runner = new ModelRunner(model, ai.djl.Device.cpu())) {
            return runner.logits(PruneStreamSide.checkInput(model.spec().input()), 1)[0];
        }
    }

    /** The two ops no zoo architecture uses. */
    private static ModelPackage avgPoolAndDropout() {
        GraphBuilder g = new GraphBuilder();
        String x = g.convBnRelu("conv", ModelSpec.INPUT, 8, 3, 1, 1);
        x = g.dropout(g.avgPool(x, 3, 2, 1), 0.5);
        String out = g.linear("fc", g.flatten(x), 10);
        return g.build("avgpool-dropout", "custom", ModelZoo.FASHION_MNIST, 10, out, 3);
    }
}
