package io.prunestream.core.grading;

import java.util.List;

/**
 * How well each criterion ranks channels as the oracle does, on one model. Correlations are
 * Spearman's; {@code null} where undefined (a constant ranking, a single channel).
 *
 * <p>The headline figures are per layer, as Molchanov et al. grade: a pruner decides within a layer
 * which channels go, and pooling channels across layers mostly measures how a criterion's scale
 * varies between layers. "Layers" are the channel groups with a single producing layer; groups that
 * couple several layers' channels (residual stages) are graded too but kept out of the layer means.
 *
 * @param model the package's name
 * @param samples images the oracle measured the loss change on
 * @param criteriaSamples images the criteria scored on (disjoint from the oracle's, unless the caller
 *     passed the same sample for both)
 * @param prunableGroups groups graded
 * @param channels channels over all graded groups
 * @param oracleSeconds time the oracle took
 * @param oracleNegativeShare fraction of channels whose removal lowers the loss on the oracle's sample:
 *     high on under-trained models, where criteria that estimate the size of a change cannot agree with
 *     its sign, which is why every criterion is also graded against the oracle's magnitude
 * @param criteria one grade per criterion, in the order asked
 */
public record GradingReport(String model, String architecture, int samples, int criteriaSamples, int prunableGroups,
        int channels, double oracleSeconds, double oracleNegativeShare, List<CriterionGrade> criteria) {

    public GradingReport {
        criteria = List.copyOf(criteria);
    }

    /**
     * One criterion's grade.
     *
     * @param overallRaw correlation over all channels of all groups, scores as the criterion gives them
     * @param overallNormalised the same after dividing each group's scores by the group's largest
     *     absolute score, as the global allocator does (the oracle stays raw: it is the loss change)
     * @param meanPerGroup mean of the defined per-group correlations (signed oracle)
     * @param perLayer mean per-layer correlation with the signed oracle ({@code loss without − loss with})
     * @param perLayerAbsolute the same against the oracle's magnitude {@code |loss without − loss with|},
     *     which is what every criterion estimates
     * @param seconds wall time of scoring every prunable group
     * @param error why the criterion could not score this model, or {@code null}; the numbers are then null
     */
    public record CriterionGrade(String criterion, boolean needsData, double seconds, Double overallRaw,
            Double overallNormalised, Double meanPerGroup, LayerMean perLayer, LayerMean perLayerAbsolute,
            List<GroupGrade> groups, String error) {
        public CriterionGrade {
            groups = List.copyOf(groups);
        }

        static CriterionGrade failed(String criterion, boolean needsData, double seconds, String error) {
            return new CriterionGrade(criterion, needsData, seconds, null, null, null, null, null, List.of(), error);
        }
    }

    /**
     * A mean of per-layer correlations with its 95% confidence interval (Student's t over layers).
     *
     * @param mean the mean, null when no layer's correlation is defined
     * @param halfWidth half the interval's width, null with fewer than two layers
     * @param layers how many layers the mean is over
     */
    public record LayerMean(Double mean, Double halfWidth, int layers) {}

    /**
     * A criterion's correlation with the oracle within one group.
     *
     * @param spearman against the signed oracle
     * @param spearmanAbsolute against the oracle's magnitude
     * @param layers layers producing the group's channels (1: a layer of its own)
     */
    public record GroupGrade(int groupId, String group, int channels, int layers, Double spearman,
            Double spearmanAbsolute) {}
}
