package io.prunestream.scorer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.Topics;
import io.prunestream.testkit.InJvmKafkaResource;
import io.prunestream.testkit.SampleJobs;
import io.prunestream.testkit.TopicClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What many teams' producers may write to {@code prune.jobs}, sent as raw bytes with Kafka's own
 * producer (never through this project's record classes, which could not even express most of it),
 * against the real intake of the running scorer service on a real broker. Every record must be
 * answered: an error result keyed by its job id, or a dead letter under its own key that points back
 * to its offset. Afterwards a valid job must still pass the intake and be scored, and the service be
 * healthy.
 */
@QuarkusTest
@WithTestResource(InJvmKafkaResource.class)
class HostileSubmissionsTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SLIP = "score:l1 -> prune:uniform -> evaluate:adaptive-bn -> finetune -> evaluate:final";

    @Inject
    ArtifactStore store;

    @TestHTTPResource("/")
    URI root;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<Sent> sent = new ArrayList<>();
    private ArtifactRef model;
    private Path datasets;

    /** What one record must end in: an error result for {@code jobId} whose cause holds {@code cause}, or a dead letter. */
    private record Expect(String jobId, String cause, boolean deadLetter) {
        static Expect result(String jobId, String cause) {
            return new Expect(jobId, cause, false);
        }

        /** An undecodable record whose job id is readable: dead letter and result. */
        static Expect both(String jobId, String cause) {
            return new Expect(jobId, cause, true);
        }

        static Expect deadLetterOnly(String cause) {
            return new Expect(null, cause, true);
        }
    }

    private record Sent(String name, String key, long offset, Expect expect) {}

    @Test
    void everyHostileSubmissionIsAnsweredAndTheServiceGoesOn() throws Exception {
        model = store.putModel("hostile-" + run + "/model", ModelZoo.create(SampleJobs.ARCHITECTURE, 7));
        datasets = Path.of(ConfigProvider.getConfig().getValue("prunestream.work-dir", String.class), "datasets");
        Files.createDirectories(datasets.resolve("empty-" + run));
        Files.createSymbolicLink(datasets.resolve("escape-" + run), Path.of("/etc"));

        try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
            sendCorpus(producer);
            // Over the broker's and the producer's default size limit (about 1 MB): refused at once, to the producer.
            ExecutionException tooLarge = assertThrows(ExecutionException.class, () -> producer.send(new ProducerRecord<>(
                    Topics.JOBS, bytes(id("too-large")), new byte[1_100_000])).get(30, TimeUnit.SECONDS));
            assertInstanceOf(RecordTooLargeException.class, tooLarge.getCause());
        }
        assertTrue(sent.size() >= 40, "a corpus of at least 40 records, got " + sent.size());

        try (TopicClient kafka = new TopicClient(bootstrap())) {
            Answers answers = awaitAnswers(kafka);
            for (Sent record : sent) {
                answers.check(record);
            }
            Sent big = sent.stream().filter(s -> s.name().equals("big")).findFirst().orElseThrow();
            assertTrue(header(answers.deadLetter(big), "value-truncated-from-bytes").matches("9\\d{5}"),
                    "the big record's dead letter is cut down");
            // Nothing hostile got past the intake.
            List<String> passed = kafka.readAll(Topics.SCORE, r -> r.key() != null && r.key().contains(run)).stream()
                    .map(ConsumerRecord::key).toList();
            assertEquals(List.of(), passed, "hostile jobs that reached the scorer");

            String valid = id("valid");
            try (KafkaProducer<byte[], byte[]> producer = rawProducer()) {
                producer.send(new ProducerRecord<>(Topics.JOBS, bytes(valid), bytes(submission(valid))))
                        .get(30, TimeUnit.SECONDS);
            }
            ConsumerRecord<String, String> scored = kafka.await(List.of(Topics.PRUNE, Topics.RESULTS),
                    r -> valid.equals(r.key()), 1, Duration.ofSeconds(180)).get(0);
            assertEquals(Topics.PRUNE, scored.topic(), "the valid job passed the intake and was scored: " + scored.value());
        }
        assertHealthy();
    }

    private void sendCorpus(KafkaProducer<byte[], byte[]> producer) {
        // ---- not decodable, job id readable from the value: an error result and a keyed dead letter ----
        undecodable(producer, "format-2", s -> s.replace("{\"formatVersion\":1,\"jobId\"", "{\"formatVersion\":2,\"jobId\""),
                "formatVersion 2");
        undecodable(producer, "no-format", s -> s.replace("{\"formatVersion\":1,\"jobId\"", "{\"jobId\""),
                "no integer formatVersion");
        undecodable(producer, "format-text", s -> s.replace("{\"formatVersion\":1,\"jobId\"", "{\"formatVersion\":\"1\",\"jobId\""),
                "no integer formatVersion");
        undecodable(producer, "no-spec", s -> s.replaceFirst("\"spec\":\\{.*?\"methodOptions\":\\{\\}\\},", ""), "spec");
        undecodable(producer, "null-spec", s -> s.replaceFirst("\"spec\":\\{.*?\"methodOptions\":\\{\\}\\}", "\"spec\":null"),
                "spec");
        undecodable(producer, "spec-text", s -> s.replaceFirst("\"spec\":\\{.*?\"methodOptions\":\\{\\}\\}", "\"spec\":\"all\""),
                "cannot decode");
        undecodable(producer, "candidates-text", s -> s.replace("\"candidates\":1,", "\"candidates\":\"many\","), "candidates");
        undecodable(producer, "rounds-float", s -> s.replace("\"maxRounds\":1,", "\"maxRounds\":1e9,"), "maxRounds");
        undecodable(producer, "epochs-float", s -> s.replace("\"finetuneEpochs\":1,", "\"finetuneEpochs\":1e6,"),
                "finetuneEpochs");
        undecodable(producer, "timeout-overflow", s -> s.replace("\"stageTimeoutSeconds\":120", "\"stageTimeoutSeconds\":99999999999"),
                "stageTimeoutSeconds");
        undecodable(producer, "slip-unknown-stage", s -> s.replace(SLIP, "score:l1 -> teleport"), "teleport");
        undecodable(producer, "slip-empty", s -> s.replace(SLIP, ""), "routing slip is empty");
        undecodable(producer, "slip-hole", s -> s.replace(SLIP, "score:l1 -> -> finetune"), "empty stage");
        undecodable(producer, "slip-long-variant", s -> s.replace(SLIP, "score:" + "x".repeat(100)), "at most 64");
        undecodable(producer, "slip-path-variant", s -> s.replace(SLIP, "score:../../etc"), "may use only letters");
        undecodable(producer, "target-kind", s -> s.replace("\"targetKind\":\"flops\"", "\"targetKind\":\"bananas\""),
                "bananas");
        undecodable(producer, "acceptance-rule", s -> s.replace("\"rule\":\"best-of-n\"", "\"rule\":\"maybe\""), "maybe");
        undecodable(producer, "bad-checksum-format", s -> s.replace(model.sha256(), "xyz"), "sha256");
        undecodable(producer, "negative-attempt", s -> s.replace("\"attempt\":0", "\"attempt\":-1"), "attempt");
        undecodable(producer, "option-text", s -> s.replace("\"methodOptions\":{}", "\"methodOptions\":{\"dsa.steps\":\"lots\"}"),
                "dsa.steps");
        undecodable(producer, "trailing-garbage", s -> s + " and then some", "cannot decode");
        undecodable(producer, "comments", s -> "/* sent by team X */ " + s.replace("\"history\":[]", "'history':[],"),
                "cannot decode");

        // ---- not decodable, the key is the job id: an error result under the key and a keyed dead letter ----
        keyedGarbage(producer, "null-value", null, "null (a tombstone)");
        keyedGarbage(producer, "empty-value", new byte[0], "is empty");
        keyedGarbage(producer, "blank-value", bytes(" \n\t "), "blank");
        keyedGarbage(producer, "not-utf8", new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3, 0x28}, "cannot decode");
        keyedGarbage(producer, "plain-text", bytes("please prune my model"), "cannot decode");
        keyedGarbage(producer, "xml", bytes("<job><id>1</id></job>"), "cannot decode");
        keyedGarbage(producer, "array", bytes("[" + submission(id("array")) + "]"), "expected a JSON object");
        keyedGarbage(producer, "object-job-id", bytes(submission(id("object-job-id")).replace(
                "\"jobId\":\"" + id("object-job-id") + "\"", "\"jobId\":{\"team\":\"x\"}")), "cannot decode");

        // ---- decodable, but over a limit or otherwise impossible: an error result from the intake ----
        refused(producer, "candidates-billion", s -> s.replace("\"candidates\":1,", "\"candidates\":1000000000,"),
                "candidates is 1000000000, over this service's limit of 4");
        refused(producer, "candidates-configured", s -> s.replace("\"candidates\":1,", "\"candidates\":5,"),
                "raise it with prunestream.limits.max-candidates, env PRUNESTREAM_LIMITS_MAX_CANDIDATES");
        refused(producer, "rounds-billion", s -> s.replace("\"maxRounds\":1,", "\"maxRounds\":1000000000,"),
                "maxRounds is 1000000000");
        refused(producer, "epochs-million", s -> s.replace("\"finetuneEpochs\":1,", "\"finetuneEpochs\":1000000,"),
                "finetuneEpochs is 1000000");
        refused(producer, "slip-10000", s -> s.replace(SLIP, String.join(" -> ", Collections.nCopies(10_000, "score:l1"))),
                "stage count is 10000");
        refused(producer, "timeout-max", s -> s.replace("\"stageTimeoutSeconds\":120", "\"stageTimeoutSeconds\":2147483647"),
                "stageTimeoutSeconds is 2147483647");
        refused(producer, "train-images", s -> s.replace("\"trainImages\":200", "\"trainImages\":2000000000"),
                "trainImages is 2000000000");
        refused(producer, "calibration", s -> s.replace("\"calibrationBatches\":2", "\"calibrationBatches\":1000000"),
                "calibrationBatches is 1000000");
        refused(producer, "option-count", s -> s.replace("\"methodOptions\":{}", "\"methodOptions\":{\"dsa.steps\":100000}"),
                "method option dsa.steps is 100000");
        refused(producer, "dataset-etc", s -> withDataset(s, "/etc"), "is outside the data roots of this service");
        refused(producer, "dataset-climb", s -> withDataset(s, datasets + "/../../../etc"), "is outside the data roots");
        refused(producer, "dataset-missing", s -> withDataset(s, datasets + "/missing-" + run), "is not a folder");
        refused(producer, "dataset-relative", s -> withDataset(s, "datasets/mnist"), "must be an absolute path");
        refused(producer, "dataset-empty", s -> withDataset(s, datasets + "/empty-" + run), "holds no usable dataset");
        refused(producer, "dataset-link", s -> withDataset(s, datasets + "/escape-" + run), "through a symbolic link");
        refused(producer, "unknown-criterion", s -> s.replace("\"criterion\":\"l1\"", "\"criterion\":\"magic\"")
                .replace(SLIP, SLIP.replace("score:l1", "score:magic")), "magic");
        refused(producer, "unknown-option", s -> s.replace("\"methodOptions\":{}", "\"methodOptions\":{\"turbo\":1}"),
                "unknown method option 'turbo'");
        refused(producer, "wrong-checksum", s -> s.replace(model.sha256(), "0".repeat(64)), "fails its checksum");
        refused(producer, "model-path-escape", s -> s.replace(model.path(), "../../../../etc/passwd"),
                "'..' would leave the store");

        // ---- no job id anywhere: a dead letter under the record's own key, pointing back to its offset ----
        garbage(producer, "no-key-not-json", null, bytes("{not json"), "cannot decode");
        garbage(producer, "bad-key", "not a job id!", bytes("{\"spec\": {}}"), "cannot decode");
        garbage(producer, "no-key-null", null, null, "null (a tombstone)");
        garbage(producer, "climbing-id", null, bytes("{\"formatVersion\":1,\"jobId\":\"../../etc\"}"), "is not valid");
        garbage(producer, "deep-nesting", null, bytes("[".repeat(5000) + "]".repeat(5000)), "cannot decode");

        // ---- a big record: answered, and its dead letter cut down so that it fits the broker again ----
        String big = id("big");
        sendRaw(producer, "big", big, bytes(submission(big).replace("\"history\":[]", "\"history\":[],\"junk\":\""
                + "x".repeat(900_000) + "\"").replace("{\"formatVersion\":1,", "{\"formatVersion\":7,")),
                Expect.both(big, "formatVersion 7"));

        // ---- the same undecodable job sent again: answered again by a dead letter, yet one result per job ----
        String twice = id("format-2");
        sendRaw(producer, "format-2-again", twice, bytes(submission(twice).replace("{\"formatVersion\":1,",
                "{\"formatVersion\":2,")), Expect.both(twice, "formatVersion 2"));
    }

    private void undecodable(KafkaProducer<byte[], byte[]> producer, String name, UnaryOperator<String> edit,
            String cause) {
        String jobId = id(name);
        String value = edited(submission(jobId), edit);
        // Keyed by something else than the job id, so the result can only have come from the value.
        sendRaw(producer, name, "producer-" + name + "-" + run, bytes(value), Expect.both(jobId, cause));
    }

    private void keyedGarbage(KafkaProducer<byte[], byte[]> producer, String name, byte[] value, String cause) {
        String jobId = id(name);
        sendRaw(producer, name, jobId, value, Expect.both(jobId, cause));
    }

    private void refused(KafkaProducer<byte[], byte[]> producer, String name, UnaryOperator<String> edit,
            String cause) {
        String jobId = id(name);
        sendRaw(producer, name, jobId, bytes(edited(submission(jobId), edit)), Expect.result(jobId, cause));
    }

    private void garbage(KafkaProducer<byte[], byte[]> producer, String name, String key, byte[] value, String cause) {
        sendRaw(producer, name, key, value, Expect.deadLetterOnly(cause));
    }

    private void sendRaw(KafkaProducer<byte[], byte[]> p, String name, String key, byte[] value, Expect expect) {
        try {
            RecordMetadata written = p.send(new ProducerRecord<>(Topics.JOBS, key == null ? null : bytes(key), value))
                    .get(30, TimeUnit.SECONDS);
            sent.add(new Sent(name, key, written.offset(), expect));
        } catch (Exception e) {
            throw new AssertionError("cannot send " + name + ": " + e, e);
        }
    }

    /** The dead letters and results, read until every record sent has its answer (or time is up). */
    private Answers awaitAnswers(TopicClient kafka) {
        AtomicReference<Answers> last = new AtomicReference<>();
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Answers answers = new Answers(kafka.readAll(Topics.DEAD_LETTER, r -> true), kafka.readAll(Topics.RESULTS,
                    r -> r.key() != null && r.key().contains(run)));
            last.set(answers);
            assertEquals(List.of(), sent.stream().filter(s -> !answers.answered(s)).map(Sent::name).toList(),
                    "records without an answer");
        });
        return last.get();
    }

    private final class Answers {
        private final Map<Long, ConsumerRecord<String, String>> deadByOffset = new HashMap<>();
        private final Map<String, List<ConsumerRecord<String, String>>> resultsByKey = new HashMap<>();

        Answers(List<ConsumerRecord<String, String>> dead, List<ConsumerRecord<String, String>> results) {
            for (ConsumerRecord<String, String> record : dead) {
                if (Topics.JOBS.equals(header(record, "topic"))) {
                    deadByOffset.put(Long.parseLong(header(record, "offset")), record);
                }
            }
            results.forEach(r -> resultsByKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        }

        ConsumerRecord<String, String> deadLetter(Sent record) {
            return deadByOffset.get(record.offset());
        }

        boolean answered(Sent record) {
            boolean dead = !record.expect().deadLetter() || deadByOffset.containsKey(record.offset());
            boolean result = record.expect().jobId() == null || resultsByKey.containsKey(record.expect().jobId());
            return dead && result;
        }

        void check(Sent record) {
            Expect expect = record.expect();
            if (expect.deadLetter()) {
                ConsumerRecord<String, String> dead = deadByOffset.get(record.offset());
                assertEquals(record.key(), dead.key(), record.name() + ": the dead letter keeps the record's key");
                assertEquals("scorer-service", header(dead, "service"), record.name());
                assertEquals("0", header(dead, "partition"), record.name());
                if (expect.jobId() == null) {
                    assertTrue(header(dead, "error").contains(expect.cause()), record.name() + ": " + header(dead, "error"));
                }
            }
            if (expect.jobId() != null) {
                List<ConsumerRecord<String, String>> results = resultsByKey.get(expect.jobId());
                assertEquals(1, results.size(), record.name() + ": one result per job, got " + results);
                String result = results.get(0).value();
                assertTrue(result.contains("\"status\":\"FAILED\"") && result.contains("\"failedStage\":\"intake\""),
                        record.name() + ": " + result);
                assertTrue(result.toLowerCase(Locale.ROOT).contains(expect.cause().toLowerCase(Locale.ROOT)),
                        record.name() + ": expected '" + expect.cause() + "' in " + result);
            } else {
                assertFalse(resultsByKey.containsKey(record.key()), record.name() + ": no job id, no result");
            }
        }
    }

    /** A valid submission, written by hand as another team's producer would. */
    private String submission(String jobId) {
        String ref = "{\"formatVersion\":1,\"path\":\"" + model.path() + "\",\"size\":" + model.size() + ",\"sha256\":\""
                + model.sha256() + "\"}";
        return "{\"formatVersion\":1,\"jobId\":\"" + jobId + "\",\"attempt\":0,\"round\":0,\"candidate\":0,"
                + "\"spec\":{\"formatVersion\":1,\"model\":" + ref + ",\"targetKind\":\"flops\",\"targetFraction\":0.5,"
                + "\"criterion\":\"l1\",\"allocation\":\"uniform\",\"candidates\":1,"
                + "\"acceptance\":{\"rule\":\"best-of-n\",\"maxAccuracyDrop\":2.0},\"maxRounds\":1,\"minChannels\":1,"
                + "\"finetuneEpochs\":1,\"learningRate\":0.01,\"trainImages\":200,\"heldOutImages\":100,\"testImages\":100,"
                + "\"calibrationBatches\":2,\"seed\":7,\"stageTimeoutSeconds\":120,\"grading\":false,\"methodOptions\":{}},"
                + "\"routingSlip\":\"" + SLIP + "\",\"artifacts\":{\"model\":" + ref + "},"
                + "\"baselineMetrics\":{},\"candidateMetrics\":{},\"history\":[]}";
    }

    private static String withDataset(String submission, String dir) {
        return submission.replace("\"trainImages\":200", "\"datasetDir\":\"" + dir + "\",\"trainImages\":200");
    }

    /** Applies an edit and insists it changed something, so a typo in a test case cannot make it a valid job. */
    private static String edited(String value, UnaryOperator<String> edit) {
        String result = edit.apply(value);
        assertFalse(result.equals(value), "the edit changed nothing");
        return result;
    }

    private String id(String name) {
        return "hostile-" + run + "-" + name;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "(no " + name + " header)" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaProducer<byte[], byte[]> rawProducer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    private void assertHealthy() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("q/health/live", "q/health/ready")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(root.resolve(path)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), path + ": " + response.body());
        }
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(root.resolve("q/metrics")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(metrics.body().contains("prunestream_dead_letters_total"), "dead letters are counted");
    }
}
