package io.prunestream.cli;

import io.prunestream.cli.bench.BenchmarkDoc;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.pipeline.AcceptanceRule;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.WorkDir;
import io.prunestream.pipeline.stage.DatasetCache;
import io.prunestream.pipeline.stage.InProcessPipeline;
import io.prunestream.pipeline.stage.JobLedger;
import io.prunestream.pipeline.stage.PipelineMetrics;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Exactly once under faults: N small jobs submitted at once to {@code replicas} processes of every
 * service on multi-partition topics, while one replica of every service is killed with SIGKILL in the
 * middle of a stage (and started again), one busy replica is stopped with SIGTERM (it must exit
 * within 10 s, handing its record back), and the broker is restarted once. Every job must end with
 * exactly one result, with the outcome a fault-free run of the same specs gives (status, the stage a
 * failure names, FLOPs and parameters of the delivered model), and no half-written artifact or ledger
 * record may be left behind. The fault-free reference runs the same specs in this process first
 * ({@link InProcessPipeline}: the same stage code, no Kafka).
 */
final class ReliabilityBenchmark {
    /** The bound on a graceful stop. */
    static final Duration GRACEFUL_STOP_LIMIT = Duration.ofSeconds(10);

    record Settings(int jobs, int replicas, long seed, int trainImages, Path data) {
        Settings {
            if (jobs < 1 || replicas < 2) {
                throw new IllegalArgumentException("the fault benchmark needs at least 1 job and 2 replicas per "
                        + "service (a killed replica's work must have somewhere to go), got " + jobs + " and " + replicas);
            }
        }
    }

    /** A fault injected, when, and how long until the work it interrupted was done again. */
    record Fault(String what, long atNanos, double recoverySeconds) {}

    record Report(Settings settings, int results, int duplicates, int lost, List<String> mismatches, List<String> repeated,
            List<String> leftovers, List<String> orphans, List<Fault> faults, List<String> notInjected,
            double gracefulStopSeconds, double wallSeconds) {

        boolean passed() {
            return results == settings.jobs() && duplicates == 0 && lost == 0 && mismatches.isEmpty()
                    && leftovers.isEmpty() && orphans.isEmpty() && gracefulStopSeconds <= GRACEFUL_STOP_LIMIT.toSeconds();
        }
    }

    private static final java.util.concurrent.ExecutorService BACKGROUND =
            java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "bench-reliability");
                t.setDaemon(true);
                return t;
            });
    private final Settings settings;
    private final Path workDir;
    private final Path projectRoot;
    private final PrintWriter out;
    private final Random random;
    private final Tap tap = new Tap();

    ReliabilityBenchmark(Settings settings, Path workDir, Path projectRoot, PrintWriter out) {
        this.settings = settings;
        this.workDir = workDir;
        this.projectRoot = projectRoot;
        this.out = out;
        this.random = new Random(settings.seed());
    }

    Report run() {
        DemoJob demo = new DemoJob("vgg-small", 2, 1200, 200, 0.5, 1, 1, settings.data());
        ModelPackage baseline = Baselines.cached(demo, workDir, out);
        DirectoryArtifactStore store = new DirectoryArtifactStore(new WorkDir(workDir).artifacts());
        List<JobMessage> jobs = new ArrayList<>();
        for (int i = 0; i < settings.jobs(); i++) {
            String id = JobIds.newId();
            jobs.add(JobMessage.start(id, spec(i, store.putModel(id + "/submitted", baseline))));
        }
        Map<String, String> expected = reference(jobs, store);
        long start = System.nanoTime();
        try (LocalPipeline local = LocalPipeline.start(projectRoot, workDir, settings.data(), 600, settings.replicas(),
                out)) {
            tap.start(local.bootstrap());
            PipelineClient client = new PipelineClient(local.bootstrap());
            long submitted = System.nanoTime();
            jobs.forEach(client::submit);
            out.println("submitted " + jobs.size() + " jobs; injecting faults...");
            out.flush();
            List<Fault> faults = new CopyOnWriteArrayList<>();
            List<String> notInjected = new ArrayList<>();
            List<CompletableFuture<Void>> measuring = new ArrayList<>();
            double graceful = injectFaults(local, jobs, faults, notInjected, measuring);
            Set<String> ids = jobs.stream().map(JobMessage::jobId).collect(Collectors.toSet());
            tap.awaitResults(ids, Duration.ofMinutes(20 + 2L * jobs.size()));
            measuring.forEach(CompletableFuture::join);
            // Time for a late duplicate to surface before counting.
            tap.quiet(Duration.ofSeconds(5));
            double wall = (System.nanoTime() - submitted) / 1e9;
            return report(jobs, expected, faults, notInjected, graceful, wall);
        } finally {
            tap.close();
            out.printf("fault benchmark: %.0f s in all%n", (System.nanoTime() - start) / 1e9);
        }
    }

    /** Small jobs that differ: targets, one or two candidates, and every fourth one bound to fail at intake. */
    private JobSpec spec(int i, ArtifactRef model) {
        JobSpec.Builder b = JobSpec.builder().model(model).targetKind(TargetKind.FLOPS)
                .targetFraction(i % 2 == 0 ? 0.5 : 0.6).criterion(i % 4 == 3 ? "no-such-criterion" : "l1")
                .allocation("uniform").candidates(1 + i % 2).acceptance(AcceptanceRule.bestOfN()).maxRounds(1)
                .finetuneEpochs(1).learningRate(0.01).trainImages(settings.trainImages()).heldOutImages(200)
                .testImages(200).calibrationBatches(10).seed(settings.seed() + i).stageTimeoutSeconds(900);
        if (settings.data() != null) {
            b.datasetDir(settings.data().toAbsolutePath().toString());
        }
        return b.build();
    }

    /** What each job ends with when nothing goes wrong: the same specs through the same stages, in this JVM. */
    private Map<String, String> reference(List<JobMessage> jobs, DirectoryArtifactStore store) {
        out.println("fault-free reference: " + jobs.size() + " jobs in this process...");
        out.flush();
        Map<String, String> outcomes = new HashMap<>();
        Path ledger = workDir.resolve("reference-ledger-" + UUID.randomUUID());
        DatasetCache datasets = settings.data() == null ? new DatasetCache() : new DatasetCache(settings.data());
        try (InProcessPipeline pipeline = new InProcessPipeline(store, new JobLedger(ledger), datasets,
                PipelineMetrics.inMemory())) {
            for (JobMessage job : jobs) {
                outcomes.put(job.jobId(), outcome(pipeline.run(job)));
            }
        } finally {
            deleteTree(ledger);
        }
        return outcomes;
    }

    /** What must not differ between a run with faults and one without. */
    static String outcome(JobResult r) {
        if (r == null) {
            return "no result";
        }
        return switch (r.status()) {
            case SUCCEEDED -> "succeeded, " + r.report().flopsAfter() + " FLOPs, " + r.report().paramsAfter() + " params";
            case FAILED -> "failed at " + r.failedStage();
            case CANCELLED -> "cancelled";
        };
    }

    /**
     * Watches every replica and strikes where there is work: the first time a replica of a service is
     * found in the middle of a stage, SIGKILL it (one of that service's busy replicas, at random) and
     * start it again; right after the first kill, restart the broker; once every service has had its
     * kill, SIGTERM a busy replica and time its exit, then start it again. Faults that never find a
     * busy replica before the jobs end are reported as not injected. Returns the SIGTERM's seconds to
     * exit (0 if it was not injected).
     */
    private double injectFaults(LocalPipeline local, List<JobMessage> jobs, List<Fault> faults,
            List<String> notInjected, List<CompletableFuture<Void>> measuring) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Set<String> ids = jobs.stream().map(JobMessage::jobId).collect(Collectors.toSet());
        Set<String> toKill = new java.util.LinkedHashSet<>(ServiceLauncher.SERVICES.keySet());
        List<CompletableFuture<Void>> restarts = new ArrayList<>();
        boolean brokerRestarted = false;
        double graceful = -1;
        while (!tap.allEnded(ids) && (!toKill.isEmpty() || graceful < 0)) {
            Map<String, List<ServiceLauncher.Instance>> busy = busyReplicas(local, http);
            for (String service : List.copyOf(toKill)) {
                List<ServiceLauncher.Instance> candidates = busy.getOrDefault(service, List.of());
                if (candidates.isEmpty()) {
                    continue;
                }
                ServiceLauncher.Instance victim = candidates.get(random.nextInt(candidates.size()));
                Set<String> interrupted = tap.inProgress(service);
                long at = System.nanoTime();
                local.services().stop(victim, true);
                toKill.remove(service);
                log("SIGKILL " + victim.name() + " (stages in progress on " + service + ": " + interrupted.size() + ")");
                faults.add(new Fault("SIGKILL of " + victim.name() + " mid-stage", at, Double.NaN));
                int index = faults.size() - 1;
                // Threads of their own: both block for long, and the common pool has one thread on two cores.
                restarts.add(CompletableFuture.runAsync(() -> local.services().restart(victim, Duration.ofMinutes(3)),
                        BACKGROUND));
                measuring.add(CompletableFuture.runAsync(() -> faults.set(index, new Fault(faults.get(index).what(), at,
                        tap.awaitDone(service, interrupted, at))), BACKGROUND));
                if (!brokerRestarted) {
                    brokerRestarted = true;
                    restartBroker(local, faults, measuring);
                }
            }
            if (toKill.isEmpty() && graceful < 0) {
                List<ServiceLauncher.Instance> any = busy.values().stream().flatMap(List::stream)
                        .filter(i -> i.process().isAlive()).toList();
                if (!any.isEmpty()) {
                    graceful = gracefulStop(local, any.get(random.nextInt(any.size())), faults, restarts);
                }
            }
            pause(100);
        }
        if (!brokerRestarted) {
            restartBroker(local, faults, measuring);
        }
        toKill.forEach(service -> notInjected.add("SIGKILL of " + service + ": no replica was busy before the jobs ended"));
        if (graceful < 0) {
            notInjected.add("SIGTERM of a busy replica: none was busy before the jobs ended");
        }
        restarts.forEach(CompletableFuture::join);
        return Math.max(0, graceful);
    }

    private void restartBroker(LocalPipeline local, List<Fault> faults, List<CompletableFuture<Void>> measuring) {
        Set<String> open = tap.inProgress(null);
        long at = System.nanoTime();
        local.kafka().restartBroker();
        log(String.format("restarted the broker in %.1f s", (System.nanoTime() - at) / 1e9));
        faults.add(new Fault("broker restart", at, Double.NaN));
        int index = faults.size() - 1;
        measuring.add(CompletableFuture.runAsync(() -> faults.set(index, new Fault("broker restart", at,
                tap.awaitDone(null, open, at))), BACKGROUND));
    }

    /** SIGTERM to a busy replica: it must hand its record back and exit within {@link #GRACEFUL_STOP_LIMIT}. */
    private double gracefulStop(LocalPipeline local, ServiceLauncher.Instance busy, List<Fault> faults,
            List<CompletableFuture<Void>> restarts) {
        long at = System.nanoTime();
        local.services().stop(busy, false);
        double seconds = (System.nanoTime() - at) / 1e9;
        log(String.format("SIGTERM %s: exited in %.1f s", busy.name(), seconds));
        faults.add(new Fault(String.format("SIGTERM of %s mid-stage (exited in %.1f s)", busy.name(), seconds), at,
                Double.NaN));
        restarts.add(CompletableFuture.runAsync(() -> local.services().restart(busy, Duration.ofMinutes(3)),
                BACKGROUND));
        return seconds;
    }

    /** Replicas in the middle of a stage, by service. */
    private static Map<String, List<ServiceLauncher.Instance>> busyReplicas(LocalPipeline local, HttpClient http) {
        return local.services().instances().stream()
                .filter(i -> i.process() != null && i.process().isAlive() && stagesRunning(http, i.port()) > 0)
                .collect(Collectors.groupingBy(ServiceLauncher.Instance::service));
    }

    private void log(String line) {
        out.println(line);
        out.flush();
    }

    /** The replica's stages in progress, from its own metrics. */
    private static double stagesRunning(HttpClient http, int port) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return body.lines().filter(l -> l.startsWith("prunestream_stage_running_seconds_active_count"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private Report report(List<JobMessage> jobs, Map<String, String> expected, List<Fault> faults,
            List<String> notInjected, double graceful, double wall) {
        Map<String, List<JobResult>> results = tap.results();
        int lost = 0;
        int duplicates = 0;
        List<String> mismatches = new ArrayList<>();
        List<String> repeated = new ArrayList<>();
        for (JobMessage job : jobs) {
            List<JobResult> got = results.getOrDefault(job.jobId(), List.of());
            if (got.isEmpty()) {
                lost++;
            }
            duplicates += Math.max(0, got.size() - 1);
            if (got.size() > 1) {
                repeated.add(job.jobId() + ": " + got.size() + " results: "
                        + got.stream().map(ReliabilityBenchmark::outcome).collect(Collectors.joining("; ")));
            }
            String want = expected.get(job.jobId());
            for (JobResult r : got) {
                if (!outcome(r).equals(want)) {
                    mismatches.add(job.jobId() + ": " + outcome(r) + " (fault-free: " + want + ")"
                            + (r.cause() == null ? "" : "; cause: " + r.cause()));
                }
            }
        }
        int answered = (int) jobs.stream().filter(j -> results.containsKey(j.jobId())).count();
        return new Report(settings, answered, duplicates, lost, mismatches, repeated, leftovers(), orphans(jobs, results),
                faults, notInjected, graceful, wall);
    }

    /**
     * Artifacts an ended job still holds besides the model its result names: what a killed stage wrote,
     * rejected candidates, intermediates. The job's submitted model lies outside its folder.
     */
    private List<String> orphans(List<JobMessage> jobs, Map<String, List<JobResult>> results) {
        DirectoryArtifactStore store = new DirectoryArtifactStore(new WorkDir(workDir).artifacts());
        List<String> found = new ArrayList<>();
        for (JobMessage job : jobs) {
            List<JobResult> got = results.getOrDefault(job.jobId(), List.of());
            String kept = got.isEmpty() || got.get(0).model() == null ? null : got.get(0).model().path();
            store.list(job.jobId()).stream().filter(path -> !path.equals(kept)
                    && !path.equals(job.spec().model().path())).forEach(found::add);
        }
        return found;
    }

    /** Half-written files a killed writer can leave: temporary artifact and ledger files. */
    private List<String> leftovers() {
        WorkDir dir = new WorkDir(workDir);
        List<String> found = new ArrayList<>();
        for (Path root : List.of(dir.artifacts(), dir.ledger())) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".tmp")).forEach(n -> found.add(n));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    static String section(Report r, String command) {
        StringBuilder md = new StringBuilder(BenchmarkDoc.header("Reliability: exactly once under faults",
                command));
        Settings s = r.settings();
        md.append(String.format("%n%d small jobs at once (every fourth bound to fail at intake), %d replicas of each "
                + "service, %d partitions a topic, seed %d.%n%n", s.jobs(), s.replicas(), LocalPipeline.PARTITIONS,
                s.seed()));
        md.append("| jobs | faults injected | results | duplicates | lost | outcome differs from fault-free | "
                + "half-written files left | orphaned artifacts | slowest recovery (s) | SIGTERM to exit (s) | wall (s) |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        double slowest = r.faults().stream().mapToDouble(Fault::recoverySeconds).filter(d -> !Double.isNaN(d)).max()
                .orElse(0);
        md.append(String.format("| %d | %d | %d | %d | %d | %d | %d | %d | %.1f | %.1f | %.0f |%n", s.jobs(),
                r.faults().size(), r.results(), r.duplicates(), r.lost(), r.mismatches().size(), r.leftovers().size(),
                r.orphans().size(), slowest,
                r.gracefulStopSeconds(), r.wallSeconds()));
        md.append("\nFaults, and the time until every stage they interrupted had been done again:\n\n");
        for (Fault f : r.faults()) {
            md.append("- ").append(f.what()).append(Double.isNaN(f.recoverySeconds()) ? ""
                    : String.format(": %.1f s", f.recoverySeconds())).append('\n');
        }
        r.notInjected().forEach(n -> md.append("- not injected: ").append(n).append('\n'));
        r.mismatches().forEach(m -> md.append("- outcome differs: ").append(m).append('\n'));
        r.repeated().forEach(m -> md.append("- more than one result: ").append(m).append('\n'));
        r.leftovers().forEach(m -> md.append("- half-written file left: ").append(m).append('\n'));
        r.orphans().forEach(m -> md.append("- orphaned artifact: ").append(m).append('\n'));
        md.append("\nVerdict: ").append(r.passed() ? "every job ended exactly once, as without faults."
                : "FAILED (see above).").append('\n');
        return md.toString();
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover reference ledger in the work dir is harmless.
        }
    }

    /**
     * Everything on {@code prune.events} and {@code prune.results}, read from the start by a consumer
     * of its own, with when each arrived: which stages are in progress where, and every result.
     */
    private static final class Tap implements AutoCloseable {
        private final Map<String, List<JobResult>> results = new ConcurrentHashMap<>();
        /** job id + stage → service, for stages started and not yet completed. */
        private final Map<String, String> open = new ConcurrentHashMap<>();
        private volatile boolean closed;
        private Thread reader;

        void start(String bootstrap) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reliability-" + UUID.randomUUID());
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(Topics.EVENTS, Topics.RESULTS));
            reader = new Thread(() -> {
                try (consumer) {
                    while (!closed) {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                            take(r);
                        }
                    }
                } catch (RuntimeException e) {
                    if (!closed) {
                        throw e;
                    }
                }
            }, "bench-reliability-tap");
            reader.setDaemon(true);
            reader.start();
        }

        private synchronized void take(ConsumerRecord<String, String> r) {
            if (r.topic().equals(Topics.RESULTS)) {
                JobResult result = Json.fromJson(r.value(), JobResult.class);
                results.computeIfAbsent(result.jobId(), k -> new CopyOnWriteArrayList<>()).add(result);
            } else {
                JobEvent e = Json.fromJson(r.value(), JobEvent.class);
                String key = e.jobId() + " " + e.stage();
                if (e.type() == JobEvent.Type.STARTED) {
                    open.put(key, e.service());
                } else if (e.type() == JobEvent.Type.COMPLETED || e.type() == JobEvent.Type.FAILED) {
                    open.remove(key);
                }
            }
            notifyAll();
        }

        /** Jobs with a stage in progress on {@code service} (any service if null). */
        synchronized Set<String> inProgress(String service) {
            return open.entrySet().stream().filter(e -> service == null || e.getValue().equals(service))
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
        }

        /**
         * Seconds from {@code sinceNanos} until each of the stages {@code interrupted} has completed (or
         * its job has a result); NaN if that does not happen within 10 minutes.
         */
        synchronized double awaitDone(String service, Set<String> interrupted, long sinceNanos) {
            long end = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (interrupted.stream().anyMatch(k -> open.containsKey(k) && !results.containsKey(k.split(" ")[0]))) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return Double.NaN;
                }
                waitQuietly(Math.min(left / 1_000_000, 500));
            }
            return (System.nanoTime() - sinceNanos) / 1e9;
        }

        synchronized boolean allEnded(Set<String> ids) {
            return results.keySet().containsAll(ids);
        }

        synchronized void awaitResults(Set<String> ids, Duration timeout) {
            long end = System.nanoTime() + timeout.toNanos();
            while (!results.keySet().containsAll(ids) && System.nanoTime() < end) {
                waitQuietly(500);
            }
        }

        synchronized void quiet(Duration d) {
            long end = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < end) {
                waitQuietly(Math.max(1, (end - System.nanoTime()) / 1_000_000));
            }
        }

        Map<String, List<JobResult>> results() {
            return new LinkedHashMap<>(results);
        }

        private void waitQuietly(long ms) {
            try {
                wait(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
