package io.prunestream.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prunestream.cli.LocalPipeline;
import io.prunestream.cli.PipelineClient;
import io.prunestream.cli.ServiceLauncher;
import io.prunestream.core.testing.RequiredData;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobIds;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.WorkDir;
import io.prunestream.testkit.SampleJobs;
import io.prunestream.testkit.TopicClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the alert rules query only metrics the services really expose: the four
 * services run as processes against a real broker in this JVM, a tiny job (plus a malformed record
 * and an invalid job, for the error and dead-letter counters) goes through, and every metric name
 * in monitoring/ must then be on some service's /q/metrics.
 */
class MetricNamesExposedTest {
    @TempDir
    static Path work;
    static LocalPipeline pipeline;
    /** Metric name (Prometheus text format, sample suffixes kept) to the services exposing it. */
    static final Map<String, Set<String>> exposed = new TreeMap<>();

    @BeforeAll
    static void runAJobThroughThePipeline() throws IOException {
        for (String service : ServiceLauncher.SERVICES.keySet()) {
            assumeTrue(Files.isRegularFile(ServiceLauncher.serviceJar(RepositoryFiles.root(), service)),
                    service + " is not packaged: run ./mvnw -B -pl deployment -am verify");
        }
        RequiredData.fashionMnist();
        // Ports away from `prunectl up` (8081-8084) and from prunectl's end-to-end test (+300).
        pipeline = LocalPipeline.start(RepositoryFiles.root(), work, null, 400, new PrintWriter(new StringWriter()));
        DirectoryArtifactStore store = new DirectoryArtifactStore(new WorkDir(work).artifacts());
        PipelineClient client = new PipelineClient(pipeline.bootstrap());
        JobMessage good = SampleJobs.submission(store);
        JobMessage invalid = JobMessage.start(JobIds.newId(),
                SampleJobs.tinySpec(good.spec().model()).criterion("no-such-criterion").build());
        try (TopicClient topics = new TopicClient(pipeline.bootstrap())) {
            topics.send(Topics.PRUNE, "junk", "not a job message");
        }
        client.submit(invalid);
        client.submit(good);
        assertEquals(JobResult.Status.FAILED, client.watch(invalid.jobId(), Duration.ofMinutes(2), e -> { }).status());
        JobResult result = client.watch(good.jobId(), Duration.ofMinutes(5), e -> { });
        assertEquals(JobResult.Status.SUCCEEDED, result.status(), () -> "cause: " + result.cause());
        Map<String, Set<String>> labels = new TreeMap<>();
        pipeline.services().ports().forEach((service, port) -> samples(scrape(port)).forEach(sample -> {
            exposed.computeIfAbsent(sample.name(), n -> new TreeSet<>()).add(service);
            labels.computeIfAbsent(sample.name(), n -> new TreeSet<>()).addAll(sample.labels());
        }));
        // For whoever writes the next panel: what there is to query, with its labels.
        Files.writeString(Path.of("target", "exposed-metrics.txt"), exposed.entrySet().stream()
                .map(e -> e.getKey() + " " + labels.get(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining("\n", "", "\n")));
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyMetricTheDashboardAndAlertsQueryIsExposed() {
        Set<String> queried = MonitoringQueries.metricNames(MonitoringQueries.expressions());
        assertFalse(queried.isEmpty(), "no metric found in the dashboard and alert rules");
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exposed.keySet());
        assertTrue(missing.isEmpty(), () -> "queried but exposed by no service: " + missing + "\nexposed: "
                + exposed.keySet());
    }

    @Test
    void everyServiceExposesThePipelineMetricsAndItsConsumerLag() {
        for (String service : ServiceLauncher.SERVICES.keySet()) {
            for (String name : List.of("prunestream_stage_messages_in_total", "prunestream_stage_duration_seconds_count",
                    "prunestream_stage_running_seconds_active_count", "kafka_consumer_fetch_manager_records_lag_max")) {
                assertTrue(exposed.getOrDefault(name, Set.of()).contains(service),
                        () -> service + " does not expose " + name + "; exposed: " + exposed.keySet());
            }
        }
    }

    /** A sample line's metric name and label names. */
    record Sample(String name, List<String> labels) {}

    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    /** The samples of a Prometheus text exposition. */
    static List<Sample> samples(String exposition) {
        return exposition.lines().filter(line -> !line.isBlank() && !line.startsWith("#")).map(line -> {
            String name = line.split("[{ ]", 2)[0];
            int open = line.indexOf('{');
            List<String> labels = open < 0 ? List.of()
                    : LABEL.matcher(line.substring(open, line.lastIndexOf('}'))).results().map(m -> m.group(1)).toList();
            return new Sample(name, labels);
        }).toList();
    }

    private static String scrape(int port) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), "GET /q/metrics on port " + port);
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("cannot scrape port " + port + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
