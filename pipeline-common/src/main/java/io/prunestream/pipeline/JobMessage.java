package io.prunestream.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job on its way between services: the spec, where it is on its routing slip, the artifacts made so
 * far (by reference) and what has been measured and learned.
 *
 * @param attempt how often the current stage has been retried on purpose; starts at 0 and is
 *     independent of Kafka redeliveries, which repeat the same attempt
 * @param round prune/evaluate round; 0 for the first, +1 per loop-back
 * @param candidate which of the round's candidates this message is about
 * @param routingSlip the stages still to pass, as text (see {@link RoutingSlip})
 * @param artifacts by role (see {@link ArtifactRoles})
 * @param history what evaluators learned on earlier rounds, oldest first, for the pruner to use
 */
public record JobMessage(
        int formatVersion,
        String jobId,
        int attempt,
        int round,
        int candidate,
        JobSpec spec,
        String routingSlip,
        Map<String, ArtifactRef> artifacts,
        Map<String, Double> baselineMetrics,
        Map<String, Double> candidateMetrics,
        List<String> history)
        implements Versioned {

    public JobMessage {
        Versioned.requireSupported(formatVersion, "JobMessage");
        JobIds.requireValid(jobId);
        requireNotNegative("attempt", attempt);
        requireNotNegative("round", round);
        requireNotNegative("candidate", candidate);
        Objects.requireNonNull(spec, "JobMessage needs its spec");
        routingSlip = RoutingSlip.parse(routingSlip).toString();
        artifacts = Copies.map(artifacts, "artifacts");
        baselineMetrics = Copies.map(baselineMetrics, "baselineMetrics");
        candidateMetrics = Copies.map(candidateMetrics, "candidateMetrics");
        history = Copies.list(history, "history");
    }

    /** The first message of a job: at the head of the spec's slip, carrying the submitted model. */
    public static JobMessage start(String jobId, JobSpec spec) {
        Objects.requireNonNull(spec.model(), "JobSpec has no model");
        return new JobMessage(CURRENT_FORMAT, jobId, 0, 0, 0, spec, spec.effectiveSlip().toString(),
                Map.of(ArtifactRoles.MODEL, spec.model()), Map.of(), Map.of(), List.of());
    }

    public RoutingSlip slip() {
        return RoutingSlip.parse(routingSlip);
    }

    /** The stage this message is addressed to. */
    public Stage stage() {
        return slip().current();
    }

    /** Identifies one unit of work: a redelivered message has the same key, a retry or loop-back a new one. */
    public String idempotencyKey() {
        return jobId + "/" + stage() + "/" + attempt + "/" + round + "/" + candidate;
    }

    public ArtifactRef artifact(String role) {
        ArtifactRef ref = artifacts.get(role);
        if (ref == null) {
            throw new IllegalArgumentException("job " + jobId + " at " + stage() + " carries no '" + role
                    + "' artifact (it has: " + String.join(", ", artifacts.keySet()) + ")");
        }
        return ref;
    }

    /** Whether a rejected candidate may go round once more within {@link JobSpec#maxRounds()}. */
    public boolean mayLoopBack() {
        return round + 1 < spec.maxRounds();
    }

    /** Whether the current stage is the slip's last, so that finishing it finishes the job. */
    @JsonIgnore
    public boolean isLastStage() {
        return slip().stages().size() == 1;
    }

    /**
     * The message for the next stage on the slip. Throws if this was the last stage: the job then ends
     * with a {@link JobResult}, not a message.
     */
    public JobMessage advance() {
        RoutingSlip next = slip().advance();
        if (next.isDone()) {
            throw new IllegalStateException("job " + jobId + ": " + stage() + " is the last stage; publish a JobResult");
        }
        return draft().slip(next).attempt(0).build();
    }

    /** The same stage once more, as a new unit of work. */
    public JobMessage retry() {
        return draft().attempt(attempt + 1).build();
    }

    /** Sends the job round again through {@code stages} (typically prune, evaluate), remembering why. */
    public JobMessage loopBack(String note, Stage... stages) {
        return draft().slip(slip().insertNext(stages).advance()).attempt(0).round(round + 1).note(note).build();
    }

    public JobMessage withArtifact(String role, ArtifactRef ref) {
        return draft().artifact(role, ref).build();
    }

    public JobMessage withCandidate(int index) {
        return draft().candidate(index).build();
    }

    public JobMessage withBaselineMetrics(Map<String, Double> metrics) {
        return draft().baselineMetrics(metrics).build();
    }

    public JobMessage withCandidateMetrics(Map<String, Double> metrics) {
        return draft().candidateMetrics(metrics).build();
    }

    public JobMessage withNote(String note) {
        return draft().note(note).build();
    }

    private Draft draft() {
        return new Draft(this);
    }

    /** A mutable copy, so each "with" above names only what it changes. */
    private static final class Draft {
        private final JobMessage from;
        private int attempt;
        private int round;
        private int candidate;
        private String routingSlip;
        private final Map<String, ArtifactRef> artifacts;
        private Map<String, Double> baselineMetrics;
        private Map<String, Double> candidateMetrics;
        private final List<String> history;

        Draft(JobMessage from) {
            this.from = from;
            attempt = from.attempt;
            round = from.round;
            candidate = from.candidate;
            routingSlip = from.routingSlip;
            artifacts = new LinkedHashMap<>(from.artifacts);
            baselineMetrics = from.baselineMetrics;
            candidateMetrics = from.candidateMetrics;
            history = new ArrayList<>(from.history);
        }

        Draft attempt(int value) {
            attempt = value;
            return this;
        }

        Draft round(int value) {
            round = value;
            return this;
        }

        Draft candidate(int value) {
            candidate = value;
            return this;
        }

        Draft slip(RoutingSlip value) {
            routingSlip = value.toString();
            return this;
        }

        Draft artifact(String role, ArtifactRef ref) {
            artifacts.put(Objects.requireNonNull(role, "artifact role"), Objects.requireNonNull(ref, "artifact"));
            return this;
        }

        Draft baselineMetrics(Map<String, Double> value) {
            baselineMetrics = value;
            return this;
        }

        Draft candidateMetrics(Map<String, Double> value) {
            candidateMetrics = value;
            return this;
        }

        Draft note(String value) {
            history.add(Objects.requireNonNull(value, "note"));
            return this;
        }

        JobMessage build() {
            return new JobMessage(from.formatVersion, from.jobId, attempt, round, candidate, from.spec, routingSlip,
                    artifacts, baselineMetrics, candidateMetrics, history);
        }
    }

    private static void requireNotNegative(String field, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("JobMessage " + field + " must not be negative, got " + value);
        }
    }
}
