package io.prunestream.cli.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The peer section's Markdown on made-up figures: which way each ratio reads, and the warnings. */
class PeerSectionTest {
    static final List<String> OPENBLAS = List.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3");
    static final List<String> REFERENCE = List.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3");

    static PeerBenchmark.Result result(List<PeerRound> ours, List<PeerRound> theirs, List<String> blas, int peerThreads) {
        TorchPeer.Figures peer = new TorchPeer.Figures("1.13.0", "3.11.2", "/usr/bin/python3", peerThreads, 1, true,
                blas, new float[10], Map.of(), 0);
        return new PeerBenchmark.Result("resnet20", 272_474, 31_000_000, 2, new PeerBudget(ours.size(), 10, 20), ours,
                theirs, peer, 3e-7, null);
    }

    static PeerRound round(double imagesPerSecond, double batch1Ms, double batch256Ms) {
        return new PeerRound(imagesPerSecond, Map.of(1, batch1Ms, 256, batch256Ms));
    }

    @Test
    void ratiosArePruneStreamOverPyTorchAndSaidAsASpeed() {
        String md = PeerSection.body(result(List.of(round(300, 2, 100), round(320, 2.2, 110), round(310, 2.1, 90)),
                List.of(round(150, 4, 50), round(160, 4.4, 55), round(155, 4.2, 45)), OPENBLAS, 2));
        // training: 310 / 155 = 2, more images per second is better
        assertTrue(md.contains("| training, batch 128 | higher | 310 img/s ±3% | 155 img/s ±3% | 2.00× | 2.00× faster |"), md);
        // batch 1: 2.1 ms / 4.2 ms = 0.5, less time is better
        assertTrue(md.contains("| inference, batch 1 | lower | 2.10 ms ±4% | 4.20 ms ±4% | 0.50× | 2.00× faster |"), md);
        assertTrue(md.contains("| inference, batch 256 | lower | 100 ms ±8% | 50.0 ms ±8% | 2.00× | 2.00× slower |"), md);
        assertTrue(md.contains("| 3 | 310 img/s | 155 img/s | 2.10 ms | 4.20 ms | 90.0 ms | 45.0 ms |"), md);
        assertTrue(md.contains("3 rounds alternating"), md);
        assertTrue(md.contains("environment `OMP_NUM_THREADS=2` `OPENBLAS_NUM_THREADS=1`"), md);
        assertFalse(md.contains("reference BLAS"), md);
        assertFalse(md.contains("Threads differ"), md);
    }

    @Test
    void warnsWhenThePeerIsHandicapped() {
        String md = PeerSection.body(result(List.of(round(300, 2, 100)), List.of(round(150, 4, 50)), REFERENCE, 1));
        assertTrue(md.contains("PyTorch ran on the reference BLAS"), md);
        assertTrue(md.contains("**Threads differ**: PyTorch reports 1 intra-op threads, PruneStream was given 2"), md);
    }

    @Test
    void recognisesDebiansReferenceBlasOnly() {
        assertTrue(PeerSection.referenceBlas(REFERENCE));
        assertFalse(PeerSection.referenceBlas(OPENBLAS));
        assertFalse(PeerSection.referenceBlas(List.of()));
    }
}
