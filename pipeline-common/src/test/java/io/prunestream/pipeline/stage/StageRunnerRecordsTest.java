package io.prunestream.pipeline.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.StageKind;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.pipeline.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The runner's promise that every consumed record is answered: records it cannot decode are
 * dead-lettered under their own key with their source position, and their job, when one can be read
 * from them, ends with an error result.
 */
class StageRunnerRecordsTest {
    private static final String SERVICE = "test-service";

    @TempDir
    Path work;

    private final List<Outgoing> sent = new ArrayList<>();
    private StageRunner runner;

    @BeforeEach
    void start() {
        runner = runner(new Handler(message -> StageOutcome.waiting(Map.of())));
    }

    @AfterEach
    void stop() {
        runner.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"unknown-format", "missing-spec", "string-for-number", "bad-slip", "lenient-syntax",
            "long-variant"})
    void undecodableRecordWithAReadableJobIdIsDeadLetteredAndItsJobEndsWithAnError(String defect) {
        String value = switch (defect) {
            case "unknown-format" -> valid(tree -> tree.put("formatVersion", 99));
            case "missing-spec" -> valid(tree -> tree.remove("spec"));
            case "string-for-number" -> valid(tree -> ((ObjectNode) tree.get("spec")).put("candidates", "many"));
            case "bad-slip" -> valid(tree -> tree.put("routingSlip", "score:l1 -> teleport"));
            case "long-variant" -> valid(tree -> tree.put("routingSlip", "score:" + "x".repeat(5000)));
            // The strict decoder refuses comments and single quotes; the job id is still readable.
            default -> "// a producer's comment\n{'formatVersion': 1, 'jobId': 'job-1', 'spec': {},}";
        };

        runner.process(new InboundRecord("producer-key", value, Topics.SCORE, 3, 42));

        Outgoing dead = only(Topics.DEAD_LETTER);
        assertEquals("producer-key", dead.key(), "the dead letter keeps the record's key");
        assertEquals(value, dead.value());
        assertTrue(dead.headers().get("error").contains("cannot decode"), dead.headers().toString());
        assertEquals(SERVICE, dead.headers().get("service"));
        assertEquals(Topics.SCORE, dead.headers().get("topic"));
        assertEquals("3", dead.headers().get("partition"));
        assertEquals("42", dead.headers().get("offset"));
        assertEquals("job-1", dead.headers().get("job-id"));

        JobResult result = result("job-1");
        assertEquals(JobResult.Status.FAILED, result.status());
        assertEquals("score", result.failedStage());
        assertTrue(result.cause().startsWith(SERVICE + " could not read the record on prune.score[3]@42: cannot decode"),
                result.cause());
    }

    @Test
    void nullValueKeyedByAJobIdIsDeadLetteredAndAnsweredUnderItsKey() {
        runner.process(new InboundRecord("job-7", null, Topics.SCORE, 0, 5));

        Outgoing dead = only(Topics.DEAD_LETTER);
        assertEquals("job-7", dead.key());
        assertEquals("", dead.value());
        assertTrue(dead.headers().get("error").contains("null (a tombstone)"), dead.headers().toString());
        assertTrue(result("job-7").cause().contains("null (a tombstone)"));
    }

    @Test
    void emptyOrBlankValueWithoutAJobIdIsDeadLetteredOnly() {
        runner.process(new InboundRecord(null, "", Topics.SCORE, 0, 1));
        runner.process(new InboundRecord("not a job id!", "  \n ", Topics.SCORE, 0, 2));

        List<Outgoing> dead = all(Topics.DEAD_LETTER);
        assertEquals(2, dead.size());
        assertNull(dead.get(0).key());
        assertTrue(dead.get(0).headers().get("error").contains("is empty"), dead.get(0).headers().toString());
        assertEquals("not a job id!", dead.get(1).key());
        assertTrue(dead.get(1).headers().get("error").contains("blank"), dead.get(1).headers().toString());
        assertTrue(all(Topics.RESULTS).isEmpty(), "no job id, so no result");
    }

    @Test
    void jobIdThatIsNotAValidIdIsNeverUsedForAResult() {
        runner.process(new InboundRecord("no spaces allowed", "{\"jobId\": \"../../etc\"}", Topics.SCORE, 0, 1));
        assertEquals(1, all(Topics.DEAD_LETTER).size());
        assertTrue(all(Topics.RESULTS).isEmpty());
    }

    @Test
    void theValuesJobIdWinsOverTheKey() {
        runner.process(new InboundRecord("job-key", "{\"jobId\": \"job-value\"}", Topics.SCORE, 0, 1));
        assertEquals("job-value", only(Topics.RESULTS).key());
    }

    @Test
    void redeliveredUndecodableRecordEndsItsJobOnce() {
        InboundRecord record = new InboundRecord("job-1", "{\"jobId\": \"job-1\", \"formatVersion\": 2}", Topics.SCORE,
                0, 9);
        runner.process(record);
        runner.process(record);
        assertEquals(1, all(Topics.RESULTS).size(), "one result per job");
        assertEquals(2, all(Topics.DEAD_LETTER).size(), "each delivery is kept for a person to look at");
    }

    @Test
    void hugeValueIsCutDownInTheDeadLetterSoThatItStillFitsTheBroker() {
        String huge = "{\"jobId\": \"job-1\", \"junk\": \"" + "é".repeat(400_000) + "\"}";
        runner.process(new InboundRecord("job-1", huge, Topics.SCORE, 0, 1));
        Outgoing dead = only(Topics.DEAD_LETTER);
        assertEquals(DeadLetter.KEPT_CHARS, dead.value().length());
        assertEquals(String.valueOf(huge.getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                dead.headers().get("value-truncated-from-bytes"));
        assertEquals(JobResult.Status.FAILED, result("job-1").status());
    }

    @Test
    void stageFailingWithoutAMessageStillEndsTheJobWithACause() {
        runner.close();
        runner = runner(new Handler(message -> {
            throw new IllegalStateException();
        }));
        runner.process(InboundRecord.inProcess(Topics.SCORE, "job-1", valid(tree -> { })));
        assertEquals("IllegalStateException", result("job-1").cause());
    }

    @Test
    void enormousCauseIsCutSoThatTheResultStillFitsTheBroker() {
        String slip = String.join(" -> ", java.util.Collections.nCopies(20_000, "score")) + " -> teleport";
        runner.process(new InboundRecord("job-1", valid(tree -> tree.put("routingSlip", slip)), Topics.SCORE, 0, 1));
        String cause = result("job-1").cause();
        assertTrue(cause.length() < StageRunner.MAX_CAUSE_CHARS + 100, "cause of " + cause.length() + " characters");
        assertTrue(cause.endsWith("characters in all)"), cause);
        assertTrue(only(Topics.DEAD_LETTER).headers().get("error").length() < StageRunner.MAX_CAUSE_CHARS + 100);
    }

    @Test
    void recordHandedOverInProcessHasNoPosition() {
        runner.process("{not json");
        Outgoing dead = only(Topics.DEAD_LETTER);
        assertEquals(Topics.SCORE, dead.headers().get("topic"));
        assertEquals("-1", dead.headers().get("offset"));
    }

    private StageRunner runner(StageHandler handler) {
        return new StageRunner(SERVICE, handler, new DirectoryArtifactStore(work.resolve("a")),
                new JobLedger(work.resolve("l-" + System.nanoTime())), new DatasetCache(), sent::add,
                PipelineMetrics.inMemory());
    }

    /** A valid score message for job-1, edited as a hostile producer might. */
    private static String valid(java.util.function.Consumer<ObjectNode> edit) {
        JobSpec spec = JobSpec.builder().model(new ArtifactRef("uploads/m.zip", 1, "a".repeat(64)))
                .targetKind(TargetKind.FLOPS).targetFraction(0.5).criterion("l1").allocation("uniform")
                .stageTimeoutSeconds(60).build();
        ObjectNode tree = Json.mapper().valueToTree(JobMessage.start("job-1", spec));
        edit.accept(tree);
        return tree.toString();
    }

    private List<Outgoing> all(String topic) {
        return sent.stream().filter(o -> o.topic().equals(topic)).toList();
    }

    private Outgoing only(String topic) {
        List<Outgoing> found = all(topic);
        assertEquals(1, found.size(), () -> "records on " + topic + ": " + found);
        return found.get(0);
    }

    private JobResult result(String jobId) {
        Outgoing record = only(Topics.RESULTS);
        assertEquals(jobId, record.key(), "results are keyed by job id");
        return Json.fromJson(record.value(), JobResult.class);
    }

    private record Handler(Function<JobMessage, StageOutcome> work) implements StageHandler {
        @Override
        public StageKind kind() {
            return StageKind.SCORE;
        }

        @Override
        public StageOutcome handle(JobMessage message, StageContext context) {
            return work.apply(message);
        }
    }
}
