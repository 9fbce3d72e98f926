package io.prunestream.pipeline.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The exclusive right to do one thing for a job (work a stage's record, send its result), shared
 * through the ledger by processes that can die at any moment.
 *
 * <p>Claims are numbered files in one ledger folder ({@code claim-0}, {@code claim-1}, ...), each
 * written atomically only if absent, so of any processes trying the same number exactly one wins. The
 * holder renews its claim while it works; a latest claim not renewed for {@code stale} belonged to a
 * process that died, and is taken over by claiming the next number. Taking over never deletes a
 * claim, so two processes that find the same stale claim at the same instant cannot both win, as they
 * could by deleting it and claiming the name again.
 */
final class NumberedClaim {
    private static final String PREFIX = "claim-";

    /** What one attempt found. */
    enum Outcome {
        /** This caller holds the claim; nobody did before. */
        HELD,
        /** This caller holds the claim, after a holder that stopped renewing it (it died). */
        TAKEN_OVER,
        /** Another process holds it and is alive. */
        BUSY
    }

    private final JobLedger ledger;
    private final String jobId;
    private final String folder;
    private String held;

    NumberedClaim(JobLedger ledger, String jobId, String folder) {
        this.ledger = ledger;
        this.jobId = jobId;
        this.folder = folder;
    }

    Outcome tryAcquire(Duration stale) {
        Optional<Map.Entry<Integer, String>> latest = latest();
        if (latest.isEmpty()) {
            return claim(0) ? Outcome.HELD : Outcome.BUSY;
        }
        boolean dead = ledger.age(jobId, latest.get().getValue()).map(age -> age.compareTo(stale) > 0).orElse(false);
        return dead && claim(latest.get().getKey() + 1) ? Outcome.TAKEN_OVER : Outcome.BUSY;
    }

    /** A heartbeat: the claim held looks alive for another {@code stale}. */
    void renew() {
        if (held != null) {
            ledger.touch(jobId, held);
        }
    }

    /** Gives the claim up, with any claims of dead holders before it, so the next process starts afresh. */
    void release() {
        for (String name : ledger.list(jobId, folder).keySet()) {
            if (name.startsWith(PREFIX)) {
                ledger.delete(jobId, folder + "/" + name);
            }
        }
        held = null;
    }

    /** When the first claim still on record was made: the earliest moment a holder may have acted. */
    Instant firstClaimed() {
        long first = Long.MAX_VALUE;
        for (Map.Entry<String, String> e : ledger.list(jobId, folder).entrySet()) {
            String content = e.getValue().trim();
            int space = content.indexOf(' ');
            try {
                first = Math.min(first, Long.parseLong(space < 0 ? content : content.substring(0, space)));
            } catch (NumberFormatException ignored) {
                // a claim torn or written by hand: the others date it
            }
        }
        return first == Long.MAX_VALUE ? Instant.EPOCH : Instant.ofEpochMilli(first);
    }

    private boolean claim(int number) {
        String name = folder + "/" + PREFIX + number;
        String mine = System.currentTimeMillis() + " " + UUID.randomUUID();
        if (ledger.putIfAbsent(jobId, name, mine).equals(mine)) {
            held = name;
            return true;
        }
        return false;
    }

    private Optional<Map.Entry<Integer, String>> latest() {
        return ledger.list(jobId, folder).keySet().stream()
                .filter(n -> n.startsWith(PREFIX) && n.length() > PREFIX.length()
                        && n.substring(PREFIX.length()).chars().allMatch(Character::isDigit))
                .map(n -> Map.entry(Integer.parseInt(n.substring(PREFIX.length())), folder + "/" + n))
                .max(Comparator.comparingInt(Map.Entry::getKey));
    }
}
