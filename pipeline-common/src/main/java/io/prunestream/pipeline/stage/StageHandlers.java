package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.Topics;
import java.util.LinkedHashMap;
import java.util.Map;

/** Which handler serves which input topic: the wiring every deployment of the pipeline shares. */
public final class StageHandlers {
    private StageHandlers() {}

    /** Input topic → handler, for all four services plus the intake, with the default {@link JobLimits}. */
    public static Map<String, StageHandler> byTopic() {
        return byTopic(JobLimits.defaults());
    }

    /** Input topic → handler, the intake holding jobs to {@code limits}. */
    public static Map<String, StageHandler> byTopic(JobLimits limits) {
        Map<String, StageHandler> m = new LinkedHashMap<>();
        m.put(Topics.JOBS, new JobIntake(limits));
        m.put(Topics.SCORE, new ScoreStage());
        m.put(Topics.PRUNE, new PruneStage());
        m.put(Topics.EVALUATE, new EvaluateStage());
        m.put(Topics.FINETUNE, new FinetuneStage());
        return m;
    }
}
