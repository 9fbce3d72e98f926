package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One holder at a time, also when the holder dies and several processes notice at the same instant. */
class NumberedClaimTest {
    private static final Duration STALE = Duration.ofSeconds(15);

    @TempDir
    Path work;

    @Test
    void theFirstHoldsTheOthersWaitAndAReleaseLetsTheNextIn() {
        JobLedger ledger = new JobLedger(work);
        NumberedClaim first = new NumberedClaim(ledger, "job-1", "running/x");
        NumberedClaim second = new NumberedClaim(ledger, "job-1", "running/x");

        assertEquals(NumberedClaim.Outcome.HELD, first.tryAcquire(STALE));
        assertEquals(NumberedClaim.Outcome.BUSY, second.tryAcquire(STALE));
        first.release();
        assertEquals(NumberedClaim.Outcome.HELD, second.tryAcquire(STALE));
        assertEquals(NumberedClaim.Outcome.HELD, new NumberedClaim(ledger, "job-2", "running/x").tryAcquire(STALE),
                "another job's claim is its own");
    }

    @Test
    void ofManyProcessesFindingADeadHoldersClaimAtOnceExactlyOneTakesItOver() throws Exception {
        JobLedger ledger = new JobLedger(work);
        assertEquals(NumberedClaim.Outcome.HELD, new NumberedClaim(ledger, "job-1", "result").tryAcquire(STALE));
        Files.setLastModifiedTime(work.resolve("job-1/result/claim-0"),
                FileTime.fromMillis(System.currentTimeMillis() - STALE.multipliedBy(2).toMillis()));

        ExecutorService processes = Executors.newFixedThreadPool(8);
        List<Future<NumberedClaim.Outcome>> outcomes = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        try {
            for (int i = 0; i < 8; i++) {
                outcomes.add(processes.submit(() -> {
                    go.await();
                    return new NumberedClaim(ledger, "job-1", "result").tryAcquire(STALE);
                }));
            }
            go.countDown();
            int takenOver = 0;
            for (Future<NumberedClaim.Outcome> f : outcomes) {
                takenOver += f.get(10, TimeUnit.SECONDS) == NumberedClaim.Outcome.TAKEN_OVER ? 1 : 0;
            }
            assertEquals(1, takenOver);
        } finally {
            processes.shutdownNow();
        }
    }
}
