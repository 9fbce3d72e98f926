package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One result per job, also when the process sending it dies: every case here is a moment at which a
 * replica can be SIGKILLed, left behind in the ledger as the dead process would leave it.
 */
class OneResultTest {
    private static final Duration BEAT = Duration.ofMillis(60);
    private static final Duration STALE = Duration.ofMillis(400);
    private static final JobResult RESULT = JobResult.failed("job-1", "intake", "target-flops must be in (0, 1)");

    @TempDir
    Path work;
    private JobLedger ledger;
    private final TopicRecordingSink sink = new TopicRecordingSink();

    @BeforeEach
    void ledger() {
        ledger = new JobLedger(work.resolve("ledger"));
    }

    @Test
    void aResultIsSentOnceHoweverOftenItIsPublished() {
        OneResult.publish(ledger, sink, RESULT, BEAT, STALE);
        OneResult.publish(ledger, sink, RESULT, BEAT, STALE);
        assertEquals(1, sink.results("job-1"));
        assertTrue(ledger.exists("job-1", OneResult.FINISHED));
    }

    @Test
    void aSenderThatDiedAfterItsRecordGotOutIsNotRepeated() throws Exception {
        deadSenderClaim(0);
        sink.send(new Outgoing(Topics.RESULTS, "job-1", "{\"sent by\":\"the replica that died\"}"));

        OneResult.publish(ledger, sink, RESULT, BEAT, STALE);

        assertEquals(1, sink.results("job-1"), "the topic already had the dead sender's result");
        assertTrue(ledger.exists("job-1", OneResult.FINISHED));
    }

    @Test
    void aSenderThatDiedBeforeItsRecordGotOutIsReplaced() throws Exception {
        deadSenderClaim(0);

        OneResult.publish(ledger, sink, RESULT, BEAT, STALE);

        assertEquals(1, sink.results("job-1"));
        assertTrue(ledger.exists("job-1", OneResult.CLAIMS + "/claim-1"), "taken over under the next number");
    }

    @Test
    void aLiveSenderIsWaitedForAndNotRepeated() throws Exception {
        // Another replica holds the claim and is waiting for the broker, renewing the claim, for 3 claim lifetimes.
        assertEquals("alive", ledger.putIfAbsent("job-1", OneResult.CLAIMS + "/claim-0", "alive"));
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            Future<?> sender = other.submit(() -> {
                long until = System.nanoTime() + STALE.multipliedBy(3).toNanos();
                while (System.nanoTime() < until) {
                    ledger.touch("job-1", OneResult.CLAIMS + "/claim-0");
                    Thread.sleep(BEAT.toMillis());
                }
                sink.send(new Outgoing(Topics.RESULTS, "job-1", "{\"sent by\":\"the other replica\"}"));
                ledger.claim("job-1", OneResult.FINISHED);
                return null;
            });
            long start = System.nanoTime();
            OneResult.publish(ledger, sink, RESULT, BEAT, STALE);
            long waitedMs = (System.nanoTime() - start) / 1_000_000;
            sender.get(10, TimeUnit.SECONDS);

            assertEquals(1, sink.results("job-1"));
            assertTrue(waitedMs >= STALE.toMillis(), "returned after " + waitedMs + " ms, before the other replica sent");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aSendThatFailsLetsGoSoThatTheRedeliveryNeedNotWait() {
        AtomicBoolean brokerDown = new AtomicBoolean(true);
        RecordSink flaky = record -> {
            if (brokerDown.getAndSet(false)) {
                throw new IllegalStateException("no acknowledgement from the broker");
            }
            sink.send(record);
        };
        assertThrows(IllegalStateException.class, () -> OneResult.publish(ledger, flaky, RESULT, BEAT, STALE));

        long start = System.nanoTime();
        OneResult.publish(ledger, flaky, RESULT, BEAT, STALE);

        assertTrue((System.nanoTime() - start) / 1_000_000 < STALE.toMillis(), "waited for a claim nobody held");
        assertEquals(1, sink.results("job-1"));
    }

    @Test
    void racingReplicasSendOneResult() throws Exception {
        ExecutorService replicas = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(replicas.submit(() -> {
                    go.await();
                    OneResult.publish(ledger, sink, RESULT, BEAT, STALE);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            replicas.shutdownNow();
        }
        assertEquals(1, sink.results("job-1"));
    }

    @Test
    void aSinkThatCannotTellGetsTheResultAgainRatherThanLosingIt() throws Exception {
        deadSenderClaim(0);
        List<Outgoing> sent = new CopyOnWriteArrayList<>();

        OneResult.publish(ledger, sent::add, RESULT, BEAT, STALE);

        assertEquals(1, sent.size());
    }

    /** The claim a replica leaves when it is killed while sending: written a while ago, renewed no more. */
    private void deadSenderClaim(int number) throws Exception {
        String name = OneResult.CLAIMS + "/claim-" + number;
        long then = System.currentTimeMillis() - STALE.multipliedBy(3).toMillis();
        ledger.putIfAbsent("job-1", name, then + " dead-replica");
        Files.setLastModifiedTime(work.resolve("ledger").resolve("job-1").resolve(name), FileTime.fromMillis(then));
    }

    /** A results topic that can be read back, as {@link io.prunestream.pipeline.kafka.KafkaRecordSink} can. */
    private static final class TopicRecordingSink implements RecordSink {
        private final List<Outgoing> records = new CopyOnWriteArrayList<>();
        private final List<Instant> times = new CopyOnWriteArrayList<>();

        @Override
        public synchronized void send(Outgoing record) {
            records.add(record);
            times.add(Instant.now());
        }

        @Override
        public synchronized Optional<Boolean> wasSent(String topic, String key, Instant since) {
            for (int i = 0; i < records.size(); i++) {
                Outgoing r = records.get(i);
                if (r.topic().equals(topic) && key.equals(r.key()) && !times.get(i).isBefore(since)) {
                    return Optional.of(true);
                }
            }
            return Optional.of(false);
        }

        long results(String jobId) {
            return records.stream().filter(r -> r.topic().equals(Topics.RESULTS) && jobId.equals(r.key())).count();
        }
    }
}
