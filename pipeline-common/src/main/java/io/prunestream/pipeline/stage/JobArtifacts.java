package io.prunestream.pipeline.stage;

import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.JobMessage;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What of a job's artifacts outlives the job: its submitted model and, when it succeeded, its final
 * model. Everything else a job writes under its own folder (candidates, their recalibrated copies,
 * fine-tuned intermediates, scores, search state) is removed once its result is out, since no record
 * can reach it any more: every stage skips a job that has its result.
 */
final class JobArtifacts {
    private static final Logger LOG = Logger.getLogger(JobArtifacts.class.getName());

    private JobArtifacts() {}

    /**
     * Returns how many artifacts went. A failure to clean is logged, never the job's failure.
     *
     * @param finalModel the model the job's result names; null for a job that failed or was cancelled
     */
    static int removeIntermediates(ArtifactStore store, JobMessage message, ArtifactRef finalModel) {
        Set<String> keep = new HashSet<>();
        keep.add(message.spec().model().path());
        keep.add(ArtifactRoles.submitted(message).path());
        if (finalModel != null) {
            keep.add(finalModel.path());
        }
        int removed = 0;
        try {
            for (String path : store.list(message.jobId())) {
                if (!keep.contains(path)) {
                    store.delete(path);
                    removed++;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "job " + message.jobId() + ": intermediate artifacts not all removed ("
                    + removed + " were): " + e.getMessage(), e);
        }
        return removed;
    }
}
