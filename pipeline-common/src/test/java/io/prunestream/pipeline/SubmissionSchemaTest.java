package io.prunestream.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** The published schema and the {@link Submission} record the intake binds it to say the same thing. */
class SubmissionSchemaTest {
    private static final JsonNode SCHEMA = parse(SubmissionSchema.text());
    private static final Submission.ModelReference MODEL = new Submission.ModelReference(
            "uploads/lenet-0123456789abcdef.zip", 1234, Samples.SHA_A);

    @Test
    void theSchemaNamesExactlyTheRecordsComponents() {
        assertEquals(components(Submission.class), names(SCHEMA.get("properties")),
                "Submission's components and the schema's properties (add a field to both, or to neither)");
        assertEquals(components(Submission.ModelReference.class), names(SCHEMA.at("/properties/model/properties")),
                "ModelReference's components and the schema's model properties");
        assertEquals(Set.of("submissionVersion", "model"), values(SCHEMA.get("required")));
        assertEquals(components(Submission.ModelReference.class), values(SCHEMA.at("/properties/model/required")));
        assertEquals(Submission.VERSION, SCHEMA.at("/properties/submissionVersion/const").intValue());
    }

    @Test
    void everyDefaultTheSchemaPublishesIsTheOneTheIntakeApplies() {
        JobSpec minimal = Submission.of(null, MODEL, JobSpec.builder().build()).toSpec(Samples.ref("m.zip"));
        JsonNode spec = Json.mapper().valueToTree(minimal);
        int checked = 0;
        for (Map.Entry<String, JsonNode> property : SCHEMA.get("properties").properties()) {
            JsonNode published = property.getValue().get("default");
            if (published != null) {
                assertEquals(published.asText(), spec.get(property.getKey()).asText(), property.getKey());
                checked++;
            }
        }
        assertTrue(checked >= 12, "defaults checked: " + checked);
        assertEquals(JobSpec.builder().model(Samples.ref("m.zip")).build(), minimal);
    }

    @Test
    void aSpecTravelsAsASubmissionUnchanged() {
        JobSpec spec = Samples.fullSpec().toBuilder().grading(true).budgetSeconds(900)
                .methodOptions(Map.of("eagleeye.max-draws", 500.0)).build();
        Submission submission = Submission.of("job-7", MODEL, spec);
        String json = Json.toJson(submission);
        assertEquals(List.of(), SubmissionSchema.violations(json), json);
        assertEquals(spec, Json.fromJson(json, Submission.class).toSpec(spec.model()));
    }

    @Test
    void everyViolationIsListedWithWhereItIs() {
        ObjectNode bad = (ObjectNode) parse(Json.toJson(Submission.of(null, MODEL, JobSpec.builder().build())));
        bad.put("targetFraction", 1.5).put("candidates", "many").put("routingSlip", "score -> prune");
        ((ObjectNode) bad.get("model")).put("sha256", "xyz");
        List<String> violations = SubmissionSchema.violations(bad.toString());
        assertEquals(4, violations.size(), violations::toString);
        for (String where : List.of("targetFraction: must have a maximum value of 1", "candidates: string found",
                "the record: property 'routingSlip' is not defined", "model.sha256: does not match")) {
            assertTrue(violations.stream().anyMatch(v -> v.contains(where)), where + " in " + violations);
        }
    }

    @Test
    void textThatIsNotJsonIsOneViolationSayingSo() {
        List<String> violations = SubmissionSchema.violations("{not json");
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).startsWith("not a JSON document"), violations::toString);
    }

    private static Set<String> components(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents()).map(c -> c.getName()).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> names(JsonNode object) {
        return object.propertyStream().map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> values(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static JsonNode parse(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
