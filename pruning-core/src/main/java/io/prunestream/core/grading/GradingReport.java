package io.prunestream.core.grading;

import java.util.List;

/**
 * How well each criterion ranks channels as the oracle does, on one model and data sample.
 * Correlations are Spearman's; {@code null} where undefined (a constant ranking, a single channel).
 *
 * @param model the package's name
 * @param samples images in the data sample
 * @param prunableGroups groups graded
 * @param channels channels over all graded groups
 * @param oracleSeconds time the oracle took
 * @param oracleNegativeShare fraction of channels whose removal lowers the loss on the sample: high on
 *     under-trained models, where criteria that estimate the size of a change (Taylor) cannot agree
 *     with its sign
 * @param criteria one grade per criterion, in the order asked
 */
public record GradingReport(String model, String architecture, int samples, int prunableGroups, int channels,
        double oracleSeconds, double oracleNegativeShare, List<CriterionGrade> criteria) {

    public GradingReport {
        criteria = List.copyOf(criteria);
    }

    /**
     * One criterion's grade.
     *
     * @param overallRaw correlation over all channels of all groups, scores as the criterion gives them
     * @param overallNormalised the same after dividing each group's scores by the group's largest
     *     absolute score, as the global allocator does (the oracle stays raw: it is the loss change)
     * @param meanPerGroup mean of the defined per-group correlations
     * @param seconds wall time of scoring every prunable group
     * @param error why the criterion could not score this model, or {@code null}; the numbers are then null
     */
    public record CriterionGrade(String criterion, boolean needsData, double seconds, Double overallRaw,
            Double overallNormalised, Double meanPerGroup, List<GroupGrade> groups, String error) {
        public CriterionGrade {
            groups = List.copyOf(groups);
        }

        static CriterionGrade failed(String criterion, boolean needsData, double seconds, String error) {
            return new CriterionGrade(criterion, needsData, seconds, null, null, null, List.of(), error);
        }
    }

    /** A criterion's correlation with the oracle within one group. */
    public record GroupGrade(int groupId, String group, int channels, Double spearman) {}
}
