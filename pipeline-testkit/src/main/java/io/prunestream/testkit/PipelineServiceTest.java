package io.prunestream.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Topics;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every PruneStream service does whatever its stage, plus helpers for its own stage's test. A
 * service's test extends this and is annotated {@code @QuarkusTest @WithTestResource(InJvmKafkaResource.class)}:
 * the service then runs against a real broker and a fresh work directory.
 */
public abstract class PipelineServiceTest {
    /**
     * How long to wait for a service's output. Generous, since machines running tests are often busy,
     * and longer than {@link SampleJobs#tinySpec}'s stage time limit: a stage that hangs then shows up
     * as the job's error result rather than as silence.
     */
    protected static final Duration WAIT = Duration.ofSeconds(180);

    /** The service's own store: what tests put here, the service can read. */
    @Inject
    protected ArtifactStore store;

    @TestHTTPResource("/")
    URI root;

    protected TopicClient kafka;

    /** The topic the service under test consumes (one of them, for a service with several). */
    protected abstract String inputTopic();

    @BeforeEach
    void connect() {
        kafka = new TopicClient(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    @Test
    protected void undecodableRecordLandsInTheDeadLetterTopicWithTheReason() {
        String garbage = "{not json " + UUID.randomUUID();
        kafka.send(inputTopic(), null, garbage);
        ConsumerRecord<String, String> dead =
                kafka.await(Topics.DEAD_LETTER, r -> garbage.equals(r.value()), 1, WAIT).get(0);
        assertTrue(header(dead, "error").contains("cannot decode"), header(dead, "error"));
        assertEquals(serviceName(), header(dead, "service"));
    }

    /** Through the service's real consumer: the key and source position survive, and the job is answered. */
    @Test
    protected void undecodableRecordKeyedByAJobIdIsDeadLetteredUnderItsKeyAndItsJobEnds() {
        String jobId = "dlq-" + UUID.randomUUID();
        kafka.send(inputTopic(), jobId, "{\"jobId\": \"" + jobId + "\", \"formatVersion\": 99}");
        ConsumerRecord<String, String> dead = kafka.readKey(Topics.DEAD_LETTER, jobId, 1, WAIT).get(0);
        assertTrue(header(dead, "error").contains("formatVersion 99"), header(dead, "error"));
        assertEquals(inputTopic(), header(dead, "topic"));
        assertEquals("0", header(dead, "partition"));
        assertTrue(Long.parseLong(header(dead, "offset")) >= 0, header(dead, "offset"));
        String result = kafka.readKey(Topics.RESULTS, jobId, 1, WAIT).get(0).value();
        assertTrue(result.contains("\"FAILED\"") && result.contains(serviceName() + " could not read the record on "
                + inputTopic()), result);
    }

    @Test
    protected void readyWhileConnectedToKafka() {
        long end = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> ready = get("q/health/ready");
        while (ready.statusCode() != 200 && System.nanoTime() < end) {
            sleep(Duration.ofMillis(250));
            ready = get("q/health/ready");
        }
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("\"UP\""), ready.body());
        // The engine was judged at startup and the verdict is part of readiness.
        assertTrue(ready.body().contains("engine-numerics") && ready.body().contains("self-check"), ready.body());
        assertEquals(200, get("q/health/live").statusCode());
    }

    /** Sends a job's message to the topic it is addressed to and returns it. */
    protected JobMessage send(String topic, JobMessage message) {
        kafka.send(topic, message.jobId(), Json.toJson(message));
        return message;
    }

    /**
     * The job's first message on a topic.
     *
     * @throws AssertionError at once if the job ends with a result instead, and on timeout, either way
     *     listing the job's events so far
     */
    protected JobMessage awaitMessage(String topic, String jobId) {
        ConsumerRecord<String, String> first;
        try {
            first = kafka.await(List.of(topic, Topics.RESULTS), r -> jobId.equals(r.key()), 1, WAIT).get(0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; events of " + jobId + ": " + events(jobId), e);
        }
        if (first.topic().equals(Topics.RESULTS)) {
            throw new AssertionError("job " + jobId + " ended instead of reaching " + topic + ": " + first.value()
                    + "; events: " + events(jobId));
        }
        return Json.fromJson(first.value(), JobMessage.class);
    }

    /** What the service has reported about a job so far, for failure messages. */
    protected List<String> events(String jobId) {
        return kafka.readAll(Topics.EVENTS, r -> jobId.equals(r.key())).stream().map(ConsumerRecord::value).toList();
    }

    /** The job's first event of this type from this stage ({@code intake}, {@code score:l1}, ...). */
    protected JobEvent awaitEvent(String jobId, String stage, JobEvent.Type type) {
        try {
            ConsumerRecord<String, String> record = kafka.await(Topics.EVENTS, r -> {
                if (!jobId.equals(r.key())) {
                    return false;
                }
                JobEvent event = Json.fromJson(r.value(), JobEvent.class);
                return event.stage().equals(stage) && event.type() == type;
            }, 1, WAIT).get(0);
            return Json.fromJson(record.value(), JobEvent.class);
        } catch (AssertionError e) {
            throw new AssertionError("no " + type + " event from " + stage + "; events of " + jobId + ": "
                    + events(jobId), e);
        }
    }

    /** Call after the service has processed a record: the pipeline's and Kafka's metrics are on {@code /q/metrics}. */
    protected void assertMetricsExposed(String stage) {
        HttpResponse<String> metrics = get("q/metrics");
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.body().contains("prunestream_stage_messages_in_total{stage=\"" + stage + "\""),
                () -> "no prunestream_stage_messages_in_total for " + stage + " in:\n" + metrics.body());
        assertTrue(metrics.body().contains("prunestream_stage_duration_seconds"), "stage durations");
        assertTrue(metrics.body().lines().anyMatch(line -> line.startsWith("kafka_")),
                "Kafka client metrics on /q/metrics");
    }

    protected HttpResponse<String> get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(root.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String serviceName() {
        return ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertNotNull(header, "header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
