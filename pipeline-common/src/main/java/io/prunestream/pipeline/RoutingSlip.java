package io.prunestream.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The stages a job still has to pass, in order; the first is the one being worked on. Immutable:
 * every change returns a new slip, so a message never changes under a service that holds it.
 *
 * <p>Text form: stages separated by {@code ->}, {@code →} or {@code ,}; {@link #toString()} writes
 * {@code ->} and parses back to an equal slip. A finished slip prints as the empty string, which
 * {@link #parse} refuses: a finished job has nowhere to travel, so no message carries one.
 */
public final class RoutingSlip {
    private static final Pattern SEPARATOR = Pattern.compile("->|\u2192|,");
    private static final String SEPARATOR_OUT = " -> ";

    private final List<Stage> stages;

    private RoutingSlip(List<Stage> stages) {
        this.stages = List.copyOf(stages);
    }

    public static RoutingSlip of(List<Stage> stages) {
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("routing slip is empty: a job needs at least one stage");
        }
        return new RoutingSlip(stages);
    }

    public static RoutingSlip of(Stage... stages) {
        return of(Arrays.asList(stages));
    }

    public static RoutingSlip parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("routing slip is empty: expected stages like '"
                    + standard("l1", "uniform") + "'");
        }
        String[] parts = SEPARATOR.split(text, -1);
        List<Stage> parsed = new ArrayList<>(parts.length);
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isBlank()) {
                throw new IllegalArgumentException("routing slip '" + text + "' has an empty stage at position "
                        + (i + 1));
            }
            try {
                parsed.add(Stage.parse(parts[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("routing slip '" + text + "': " + e.getMessage(), e);
            }
        }
        return new RoutingSlip(parsed);
    }

    /**
     * The default slip of a job, by its allocation strategy:
     * <ul>
     *   <li>{@code uniform}, {@code global}, {@code eagleeye} (and any other allocator):
     *       {@code score:C -> prune:A -> evaluate:adaptive-bn -> finetune -> evaluate:final}; EagleEye
     *       draws one random candidate per candidate slot and round, and the evaluator keeps the best;</li>
     *   <li>{@code aofp}: {@code score:C -> prune:aofp -> evaluate:aofp -> finetune -> evaluate:final}; the
     *       pruner proposes cuts, the evaluator judges them and sends the search back to the pruner until
     *       the search is done, then evaluates the result;</li>
     *   <li>{@code dsa}: {@code score:C -> finetune:dsa -> prune:dsa -> evaluate:adaptive-bn -> finetune ->
     *       evaluate:final}; the finetune service learns the keep ratios, the pruner cuts by them.</li>
     * </ul>
     */
    public static RoutingSlip standard(String criterion, String allocation) {
        Stage score = Stage.of(StageKind.SCORE, criterion);
        if ("aofp".equalsIgnoreCase(allocation)) {
            return of(score, Stage.of(StageKind.PRUNE, "aofp"), Stage.of(StageKind.EVALUATE, "aofp"), Stage.FINETUNE,
                    Stage.EVALUATE_FINAL);
        }
        if ("dsa".equalsIgnoreCase(allocation)) {
            return of(score, Stage.of(StageKind.FINETUNE, "dsa"), Stage.of(StageKind.PRUNE, "dsa"),
                    Stage.EVALUATE_ADAPTIVE_BN, Stage.FINETUNE, Stage.EVALUATE_FINAL);
        }
        return of(score, Stage.of(StageKind.PRUNE, allocation), Stage.EVALUATE_ADAPTIVE_BN, Stage.FINETUNE,
                Stage.EVALUATE_FINAL);
    }

    /**
     * Network slimming: sparse training (L1 on BN scales) of the submitted model, BN-scale scores, the
     * cut by one global threshold on the raw scales (the paper's rule; per-group normalisation would undo
     * what the sparsity phase learnt), adaptive BN, fine-tuning, final evaluation.
     */
    public static RoutingSlip slimming() {
        return of(Stage.of(StageKind.FINETUNE, "sparse"), Stage.of(StageKind.SCORE, "bn-scale"),
                Stage.of(StageKind.PRUNE, io.prunestream.core.allocation.GlobalAllocator.THRESHOLD), Stage.EVALUATE_ADAPTIVE_BN, Stage.FINETUNE,
                Stage.EVALUATE_FINAL);
    }

    /** GAL: adversarial training with soft masks, the cut of zero-mask channels, adaptive BN, fine-tuning. */
    public static RoutingSlip gal() {
        return of(Stage.of(StageKind.FINETUNE, "gal"), Stage.of(StageKind.PRUNE, "mask"), Stage.EVALUATE_ADAPTIVE_BN,
                Stage.FINETUNE, Stage.EVALUATE_FINAL);
    }

    public List<Stage> stages() {
        return stages;
    }

    public boolean isDone() {
        return stages.isEmpty();
    }

    public Stage current() {
        requireNotDone("has no current stage");
        return stages.get(0);
    }

    /** The slip after the current stage is finished; it may be done. */
    public RoutingSlip advance() {
        requireNotDone("cannot advance");
        return new RoutingSlip(stages.subList(1, stages.size()));
    }

    /**
     * Puts stages right after the current one, for loop-backs: an evaluator rejecting a candidate
     * calls {@code insertNext(prune, evaluate).advance()} to send it round again before the rest.
     */
    public RoutingSlip insertNext(Stage... next) {
        requireNotDone("cannot insert after the current stage");
        if (next.length == 0) {
            throw new IllegalArgumentException("insertNext needs at least one stage");
        }
        List<Stage> result = new ArrayList<>(stages.size() + next.length);
        result.add(stages.get(0));
        result.addAll(Arrays.asList(next));
        result.addAll(stages.subList(1, stages.size()));
        return new RoutingSlip(result);
    }

    private void requireNotDone(String what) {
        if (isDone()) {
            throw new IllegalStateException("routing slip is finished: " + what);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutingSlip other && stages.equals(other.stages);
    }

    @Override
    public int hashCode() {
        return stages.hashCode();
    }

    @Override
    public String toString() {
        return String.join(SEPARATOR_OUT, stages.stream().map(Stage::toString).toList());
    }
}
