package io.prunestream.pipeline.stage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.MessageFormatException;
import io.prunestream.pipeline.StageKind;
import io.prunestream.pipeline.Submission;
import io.prunestream.pipeline.SubmissionIds;
import io.prunestream.pipeline.SubmissionSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Receives submissions from {@code prune.jobs}: turns each {@link Submission} (checked against its
 * published schema, every violation listed in one answer) into the job's first internal
 * {@link JobMessage}; checks the whole job up front (spec values, the
 * service's {@link JobLimits} and data roots, every criterion and allocation its slip names, the model
 * artifact's checksum and validity) so that a bad job fails at once with every problem listed, then
 * sends it to its first stage's topic.
 */
public final class JobIntake implements StageHandler {
    public static final String NAME = "intake";

    private final JobLimits limits;

    public JobIntake(JobLimits limits) {
        this.limits = limits;
    }

    /** With {@link JobLimits#defaults()}: for in-process pipelines and tests. */
    public JobIntake() {
        this(JobLimits.defaults());
    }

    @Override
    public StageKind kind() {
        return null;
    }

    @Override
    public String name() {
        return NAME;
    }

    /**
     * A submission, or the internal {@link JobMessage} that producers wrote before the contract existed
     * (prunectl up to 0.1 among them). The header {@value SubmissionSchema#CONTENT_TYPE_HEADER} says
     * which when present; without it a JSON object with {@code submissionVersion}, or with neither of
     * the internal record's {@code formatVersion} and {@code spec}, is a submission.
     */
    @Override
    public JobMessage decode(InboundRecord record, ArtifactStore store) {
        if (!isSubmission(record)) {
            return Json.fromJson(record.value(), JobMessage.class);
        }
        List<String> violations = SubmissionSchema.violations(record.value());
        if (!violations.isEmpty()) {
            throw new MessageFormatException("the submission does not match its schema (" + SubmissionSchema.RESOURCE
                    + ", served by the intake at GET /schema/submission-v1.json): " + String.join("; ", violations));
        }
        Submission submission;
        try {
            submission = Json.mapper().readValue(record.value(), Submission.class);
        } catch (JsonProcessingException e) {
            throw new MessageFormatException("cannot decode the submission: " + e.getOriginalMessage(), e);
        }
        try {
            Submission.ModelReference model = submission.model();
            ArtifactRef ref = new ArtifactRef(store.pathOf(model.uri()), model.size(), model.sha256());
            return JobMessage.start(assignedId(record, submission.jobId()), submission.toSpec(ref));
        } catch (IllegalArgumentException e) {
            throw new MessageFormatException("the submission's model: " + e.getMessage(), e);
        }
    }

    /** A submission's producer is answered under the id it will be assigned even if it named none. */
    @Override
    public Optional<String> jobIdOf(InboundRecord record) {
        Optional<String> readable = ReadableJobId.of(record);
        if (readable.isPresent()) {
            return readable;
        }
        try {
            return isSubmission(record) ? Optional.of(assignedId(record, null)) : readable;
        } catch (MessageFormatException unreadableContentType) {
            return readable;
        }
    }

    private static String assignedId(InboundRecord record, String jobId) {
        return SubmissionIds.assign(jobId, record.key(), record.topic(), record.partition(), record.offset());
    }

    private static boolean isSubmission(InboundRecord record) {
        String contentType = record.headers().get(SubmissionSchema.CONTENT_TYPE_HEADER);
        if (contentType != null) {
            String type = contentType.strip().toLowerCase(java.util.Locale.ROOT);
            if (type.startsWith(SubmissionSchema.CONTENT_TYPE)) {
                return true;
            }
            if (type.startsWith(SubmissionSchema.INTERNAL_CONTENT_TYPE)) {
                return false;
            }
            if (!type.startsWith("application/json")) {
                throw new MessageFormatException("content-type '" + contentType + "' is not one this intake reads: "
                        + SubmissionSchema.CONTENT_TYPE + " (or application/json)");
            }
        }
        if (record.value() == null) {
            return false;
        }
        JsonNode tree;
        try {
            tree = Json.mapper().readTree(record.value());
        } catch (JsonProcessingException e) {
            return false;
        }
        return tree != null && tree.isObject()
                && (tree.has("submissionVersion") || !tree.has("formatVersion") && !tree.has("spec"));
    }

    @Override
    public StageOutcome handle(JobMessage message, StageContext context) {
        List<String> problems = new ArrayList<>(message.spec().validate());
        problems.addAll(limits.check(message));
        problems.addAll(StageVariants.problems(message.slip(), message.spec()));
        if (!problems.isEmpty()) {
            throw new StageFailure("invalid job: " + String.join("; ", problems));
        }
        // Loading verifies size, checksum and the package itself before any service spends time on it.
        context.store().loadModel(message.artifact(ArtifactRoles.MODEL));
        return StageOutcome.forward(message, Map.of());
    }
}
