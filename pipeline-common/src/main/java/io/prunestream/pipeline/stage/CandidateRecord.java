package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.Json;
import java.util.Map;

/** One evaluated candidate, as the evaluator keeps it in the ledger until its round is decided. */
public record CandidateRecord(int round, int candidate, double accuracy, ArtifactRef model, Map<String, Double> metrics) {
    String toJson() {
        return Json.toJson(this);
    }

    static CandidateRecord fromJson(String json) {
        return Json.fromJson(json, CandidateRecord.class);
    }
}
