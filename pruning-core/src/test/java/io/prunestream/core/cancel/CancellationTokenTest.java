package io.prunestream.core.cancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CancellationTokenTest {

    @Test
    void theFirstReasonWinsAndIsThrownAtEveryCheckpoint() {
        CancellationToken token = new CancellationToken();
        token.check();
        OperationCancelledException first = new OperationCancelledException("first");
        token.cancel(first);
        token.cancel(new OperationCancelledException("second"));
        assertSame(first, assertThrows(OperationCancelledException.class, token::check));
        assertSame(first, assertThrows(OperationCancelledException.class, token::check));
    }

    @Test
    void checkpointsSeeTheTokenOfTheirThreadOnlyWhileItsWorkRuns() throws Exception {
        CancellationToken token = new CancellationToken();
        token.cancel(new OperationCancelledException("stop"));
        assertThrows(OperationCancelledException.class,
                () -> CancellationToken.callWith(token, () -> {
                    CancellationToken.checkpoint();
                    return null;
                }));
        assertSame(CancellationToken.NONE, CancellationToken.current());
        CancellationToken.checkpoint();
    }

    @Test
    void aProbeIsPolledAtMostOncePerItsIntervalAndItsReasonSticks() {
        AtomicInteger polls = new AtomicInteger();
        CancellationToken token = new CancellationToken().withProbe(Duration.ofHours(1), () -> {
            polls.incrementAndGet();
            return null;
        });
        for (int i = 0; i < 100; i++) {
            token.check();
        }
        assertEquals(1, polls.get(), "an expensive probe must not run on every batch");

        OperationCancelledException flagged = new OperationCancelledException("flag set elsewhere");
        CancellationToken flaggedToken = new CancellationToken().withProbe(Duration.ZERO, () -> flagged);
        assertTrue(flaggedToken.isCancelled());
        assertSame(flagged, flaggedToken.reason());
    }

    @Test
    void aPassedDeadlineStopsTheWorkWithItsOwnReason() {
        CancellationToken live = new CancellationToken().deadline(System.nanoTime() + Duration.ofHours(1).toNanos(),
                () -> new OperationCancelledException("late"));
        assertFalse(live.isCancelled());
        CancellationToken past = new CancellationToken().deadline(System.nanoTime() - 1,
                () -> new OperationCancelledException("budget of 5 s ran out"));
        assertEquals("budget of 5 s ran out", assertThrows(OperationCancelledException.class, past::check).getMessage());
    }

    @Test
    void noneCannotBeCancelled() {
        assertThrows(UnsupportedOperationException.class,
                () -> CancellationToken.NONE.cancel(new OperationCancelledException("x")));
    }
}
