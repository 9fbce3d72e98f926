package io.prunestream.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class EngineSelfCheckTest {

    @Test
    void thisProcessComputesWithAConvolutionTheCheckFoundRight() {
        EngineNumerics.Status status = EngineNumerics.status();
        assertTrue(status.safe(), status.describe());
        SelfCheckResult used = status.mode() == EngineNumerics.Mode.DIRECT ? status.direct() : status.aligned();
        assertTrue(used.passed(), used.summary());
        // Forward and all three gradients of every case, twice, on the CPU at least.
        assertTrue(used.comparisons().size() >= 2 * (EngineSelfCheck.CASES.size() * 3 + 3), used.summary());
    }

    @Test
    void aDeliberatelyWrongConvolutionIsCaught() {
        SelfCheckResult result = EngineSelfCheck.check(new UnalignedChannelFault(ConvolutionKernel.engine()));
        assertFalse(result.passed(), result.summary());
        List<String> wrong = result.disagreements().stream().map(SelfCheckResult.Comparison::what).toList();
        assertTrue(wrong.stream().anyMatch(w -> w.startsWith("conv 20->24") && w.endsWith("forward")), wrong::toString);
        assertTrue(wrong.stream().anyMatch(w -> w.endsWith("grad input")), wrong::toString);
        assertTrue(wrong.stream().anyMatch(w -> w.endsWith("grad weight")), wrong::toString);
        // Aligned counts stay right, as on the real faulty CPUs: the fault is about layouts, not arithmetic.
        assertTrue(wrong.stream().noneMatch(w -> w.startsWith("conv 16->32")), wrong::toString);
        assertTrue(result.summary().contains("WRONG"), result.summary());
    }

    @Test
    void theFaultIsRepairedByAlignedChannelsAndSaidSo() {
        EngineNumerics.Status status = EngineNumerics.decide(new UnalignedChannelFault(ConvolutionKernel.engine()),
                EngineNumerics.Request.AUTO);
        assertEquals(EngineNumerics.Mode.ALIGNED, status.mode(), status.describe());
        assertFalse(status.direct().passed());
        assertTrue(status.aligned().passed(), status.aligned().summary());
        assertTrue(status.kernel() instanceof AlignedConvolution);
        assertTrue(status.describe().contains("wrong on this CPU"), status.describe());
    }

    @Test
    void insistingOnTheFaultyKernelIsRefused() {
        EngineNumerics.Status status = EngineNumerics.decide(new UnalignedChannelFault(ConvolutionKernel.engine()),
                EngineNumerics.Request.DIRECT);
        assertEquals(EngineNumerics.Mode.UNSAFE, status.mode());
        assertTrue(status.describe().contains("ONEDNN_MAX_CPU_ISA=SSE41"), status.describe());
    }

    @Test
    void aKernelWrongEvenWhenAlignedLeavesTheProcessUnsafe() {
        ConvolutionKernel alwaysWrong = new ConvolutionKernel() {
            @Override
            public NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int padding, int groups) {
                return ConvolutionKernel.engine().conv2d(x, w, b, stride, padding, groups).mul(1.01f);
            }
        };
        EngineNumerics.Status status = EngineNumerics.decide(alwaysWrong, EngineNumerics.Request.AUTO);
        assertEquals(EngineNumerics.Mode.UNSAFE, status.mode());
        assertFalse(status.safe());
        assertTrue(status.describe().contains("refuses"), status.describe());
    }

    @Test
    void alignedConvolutionLeavesItsArgumentsAsTheyWere() {
        // One activation often feeds two convolutions (branches, projection shortcuts): padding it for
        // the first must not change what the second sees.
        AlignedConvolution aligned = new AlignedConvolution(ConvolutionKernel.engine(), ChannelAlignment.standard());
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.randomNormal(new Shape(2, 11, 5, 5));
            NDArray w = m.randomNormal(new Shape(13, 11, 3, 3));
            NDArray b = m.randomNormal(new Shape(13));
            NDArray expected = ConvolutionKernel.engine().conv2d(x, w, b, 1, 1, 1);
            for (int i = 0; i < 2; i++) {
                NDArray y = aligned.conv2d(x, w, b, 1, 1, 1);
                assertEquals(new Shape(2, 11, 5, 5), x.getShape());
                assertEquals(new Shape(13, 11, 3, 3), w.getShape());
                assertEquals(new Shape(13), b.getShape());
                assertTrue(y.allClose(expected, 1e-4, 1e-5, false), "call " + i);
            }
        }
    }

    @Test
    void aNanFromTheEngineNeverPasses() {
        SelfCheckResult.Comparison c = EngineSelfCheck.compare("x", new float[] {1, Float.NaN}, new double[] {1, 2});
        assertFalse(c.agrees());
        assertTrue(Double.isNaN(c.maxError()));
    }

    @Test
    void unknownSettingsAreRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EngineNumerics.Request.parse("fast"));
        assertTrue(e.getMessage().contains("auto, direct, aligned"), e.getMessage());
    }

    @Test
    void alignmentPadsOnlyPartlyFilledBlocks() {
        ChannelAlignment a = ChannelAlignment.standard();
        assertEquals(32, a.padded(17));
        assertEquals(32, a.padded(32));
        assertEquals(1, a.padded(1));
        assertEquals(3, a.padded(3));
        assertEquals(16, a.padded(12));
        assertEquals(8, a.paddedPerGroup(6, 2));
        assertEquals(16, a.paddedPerGroup(16, 3));
    }
}
