package io.prunestream.cli;

import io.prunestream.core.allocation.AllocationRequest;
import io.prunestream.core.allocation.AllocationResult;
import io.prunestream.core.allocation.Allocators;
import io.prunestream.core.allocation.TargetKind;
import io.prunestream.core.cost.CostModel;
import io.prunestream.core.cost.CostReport;
import io.prunestream.core.cost.LatencyMeter;
import io.prunestream.core.data.IdxDatasetFolder;
import io.prunestream.core.dependency.ChannelSurgery;
import io.prunestream.core.dependency.DependencyGraph;
import io.prunestream.core.importance.Criteria;
import io.prunestream.core.importance.ImportanceCriterion;
import io.prunestream.core.importance.ScoringContext;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactRoles;
import io.prunestream.pipeline.DirectoryArtifactStore;
import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.JobSpec;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.StageKind;
import io.prunestream.pipeline.Topics;
import io.prunestream.pipeline.stage.DataRoots;
import io.prunestream.pipeline.stage.DatasetCache;
import io.prunestream.pipeline.stage.InProcessPipeline;
import io.prunestream.pipeline.stage.JobLedger;
import io.prunestream.pipeline.stage.JobLimits;
import io.prunestream.pipeline.stage.Outgoing;
import io.prunestream.pipeline.stage.PipelineMetrics;
import io.prunestream.pipeline.stage.StageVariants;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A job run in this process: the pipeline's own stages (intake, score, prune, evaluate, fine-tune,
 * final evaluation) with the same options, names and defaults as {@code submit}, delivering records
 * to each other in memory instead of through Kafka. What {@code prune} does is therefore what the
 * services do for the same job. {@code --no-data} is the one thing the pipeline does not offer: a
 * data-free cut (score, allocate, surgery) for a quick look at a model.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Runs a pruning job in this process, no Kafka: the pipeline's stages (score, prune, "
                + "evaluate with adaptive BN, fine-tune, final evaluation) with the options, names and defaults of "
                + "`submit`. Prints the job's progress and a before/after table and writes the delivered model.",
                "Training methods (network slimming, GAL, DSA) run by their routing slip: see --slip and docs/TRAINING.md."})
final class PruneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "PKG",
            description = "package folder or zip, a TensorFlow SavedModel folder, or zoo:<arch>")
    String model;

    @Mixin
    JobOptions job;

    @Option(names = "--no-data", description = "a data-free cut instead of a job: score (weight criteria only), "
            + "allocate (allocators that neither evaluate nor train), cut; no accuracy, BN recalibration or fine-tuning")
    boolean noData;

    @Option(names = "--no-latency", description = "with --no-data: skip the latency measurement (a job's report "
            + "always measures it)")
    boolean noLatency;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "where the job keeps its artifacts and ledger "
            + "while it runs (default: a temporary folder, removed afterwards)")
    Path workDir;

    @Option(names = "--out", required = true, paramLabel = "PKG", description = "package folder to write")
    Path out;

    @Override
    public Integer call() throws IOException {
        ModelPackage original = ModelSource.load(model);
        if (noData) {
            return cutWithoutData(original);
        }
        if (noLatency) {
            throw new IllegalArgumentException("--no-latency only applies with --no-data: a job's report always "
                    + "measures latency");
        }
        boolean temporary = workDir == null;
        Path work = temporary ? Files.createTempDirectory("prunectl-prune-") : workDir;
        try {
            return runJob(original, work);
        } finally {
            if (temporary) {
                deleteQuietly(work);
            }
        }
    }

    private int runJob(ModelPackage original, Path work) {
        PrintWriter w = spec.commandLine().getOut();
        DirectoryArtifactStore store = new DirectoryArtifactStore(work.resolve("artifacts"));
        ArtifactRef upload = store.putModel("uploads/model", original);
        if (job.dataDir != null) {
            job.dataDir = Path.of(job.dataDir).toAbsolutePath().normalize().toString();
        }
        JobSpec jobSpec = job.toSpec(upload);
        List<String> problems = new ArrayList<>(jobSpec.validate());
        problems.addAll(StageVariants.problems(jobSpec.effectiveSlip(), jobSpec));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        Path data = jobSpec.datasetDir() != null ? Path.of(jobSpec.datasetDir()) : IdxDatasetFolder.defaultFolder();
        // The user's own machine: the folder the job names is the data root, and limits are raised by -D.
        JobLimits limits = JobLimits.fromConfig(key -> Optional.ofNullable(System.getProperty(key)),
                new DataRoots(List.of(data)));
        String jobId = "prune-" + Long.toString(System.currentTimeMillis(), 36);
        w.println("job " + jobId + ": " + jobSpec.effectiveSlip());
        AtomicReference<ModelPackage> lastCut = new AtomicReference<>();
        JobResult result;
        try (InProcessPipeline pipeline = new InProcessPipeline(store, new JobLedger(work.resolve("ledger")),
                new DatasetCache(data), PipelineMetrics.inMemory(), limits)) {
            pipeline.observe(record -> {
                if (record.topic().equals(Topics.EVENTS)) {
                    ResultPrinter.event(w, Json.fromJson(record.value(), JobEvent.class));
                } else if (record.topic().equals(Topics.FINETUNE)) {
                    keepTheAcceptedCut(store, record, lastCut);
                }
            });
            result = pipeline.run(JobMessage.start(jobId, jobSpec));
        }
        if (result == null) {
            throw new IllegalStateException("job " + jobId + " ended without a result");
        }
        Map<String, Object> provenance = provenance(original, jobSpec);
        if (result.status() != JobResult.Status.SUCCEEDED) {
            return failed(result, lastCut.get(), provenance);
        }
        ModelPackage delivered = store.loadModel(result.model());
        provenance.put("achievedFraction", result.report().achievedFraction());
        PackageIO.save(delivered.withInfo(Map.of("pruning", provenance)), out);
        w.println();
        ResultPrinter.report(w, result.report());
        w.println("wrote " + out);
        return 0;
    }

    /** The candidate the evaluator accepted, as fine-tuning receives it: kept in case fine-tuning fails. */
    private static void keepTheAcceptedCut(DirectoryArtifactStore store, Outgoing record, AtomicReference<ModelPackage> cut) {
        JobMessage message = Json.fromJson(record.value(), JobMessage.class);
        if (message.stage().kind() == StageKind.FINETUNE && message.artifacts().containsKey(ArtifactRoles.CANDIDATE)
                && "plain".equals(StageVariants.resolve(message.stage(), message.spec()))) {
            cut.set(store.loadModel(message.artifact(ArtifactRoles.CANDIDATE)));
        }
    }

    /**
     * The job did not succeed. If fine-tuning is where it failed, the accepted cut cost a scoring pass
     * and a search: it is written, so that only the fine-tuning is left to redo.
     */
    private int failed(JobResult result, ModelPackage cut, Map<String, Object> provenance) {
        PrintWriter err = spec.commandLine().getErr();
        boolean atFinetune = result.failedStage() != null && result.failedStage().startsWith(StageKind.FINETUNE.id());
        String what = atFinetune && result.status() == JobResult.Status.FAILED ? "fine-tuning failed"
                : "job " + result.status().name().toLowerCase(java.util.Locale.ROOT)
                        + (result.failedStage() == null ? "" : " at " + result.failedStage());
        err.println(spec.commandLine().getColorScheme().errorText("error: " + what + ": " + result.cause()));
        if (atFinetune && cut != null) {
            provenance.put("finetuneEpochs", 0);
            provenance.put("finetuneDiverged", result.cause());
            PackageIO.save(cut.withInfo(Map.of("pruning", provenance)), out);
            err.println("wrote the cut model, before fine-tuning, to " + out + "; to fine-tune it, try an --lr smaller than "
                    + job.learningRate);
        }
        return 1;
    }

    private static Map<String, Object> provenance(ModelPackage original, JobSpec job) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", original.spec().name());
        provenance.put("criterion", job.criterion());
        provenance.put("allocation", job.allocation());
        provenance.put("slip", job.effectiveSlip().toString());
        provenance.put("target", job.targetKind().label() + " " + job.targetFraction());
        provenance.put("roundTo", job.roundTo());
        provenance.put("finetuneEpochs", job.finetuneEpochs());
        provenance.put("seed", job.seed());
        return provenance;
    }

    /** Score, allocate and cut with no data: what a weight criterion and the budget alone decide. */
    private int cutWithoutData(ModelPackage original) {
        PrintWriter w = spec.commandLine().getOut();
        ImportanceCriterion criterion = Criteria.byName(job.criterion);
        if (criterion.needsData()) {
            throw new IllegalArgumentException("criterion '" + criterion.name() + "' reads data: drop --no-data, or "
                    + "choose a weight criterion");
        }
        if (!Allocators.names().contains(job.allocation.trim().toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("allocation '" + job.allocation + "' runs only as a job (it evaluates "
                    + "or trains): drop --no-data, or choose one of " + String.join(", ", Allocators.names()));
        }
        if (job.roundTo < 1) {
            throw new IllegalArgumentException("round-to must be at least 1, got " + job.roundTo);
        }
        DependencyGraph graph = DependencyGraph.of(original.graph());
        ScoringContext context = ScoringContext.builder(original).graph(graph).seed(job.seed).build();
        boolean byParams = job.target != null && job.target.params != null;
        TargetKind kind = byParams ? TargetKind.PARAMS : TargetKind.FLOPS;
        double fraction = job.target == null ? JobSpec.Builder.DEFAULT_TARGET_FRACTION
                : byParams ? job.target.params : job.target.flops;
        AllocationResult allocated = Allocators.byName(job.allocation).allocate(
                AllocationRequest.builder(original, criterion.scorePrunableGroups(context)).graph(graph)
                        .target(kind, fraction).minChannels(job.minChannels).roundTo(job.roundTo).seed(job.seed).build());
        w.println(criterion.name() + " + " + job.allocation + " (round-to " + job.roundTo + "): " + allocated.summary());
        ModelPackage pruned = ChannelSurgery.apply(original, graph, allocated.plan(), job.minChannels);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", original.spec().name());
        provenance.put("criterion", criterion.name());
        provenance.put("allocation", job.allocation);
        provenance.put("target", kind.label() + " " + fraction);
        provenance.put("roundTo", job.roundTo);
        provenance.put("achievedFlopsFraction", allocated.achievedFlopsFraction());
        provenance.put("achievedParamsFraction", allocated.achievedParamsFraction());
        provenance.put("finetuneEpochs", 0);
        pruned = pruned.withInfo(Map.of("pruning", provenance));
        PackageIO.save(pruned, out);
        printComparison(w, original, pruned);
        w.println("wrote " + out);
        return 0;
    }

    private void printComparison(PrintWriter w, ModelPackage before, ModelPackage after) {
        CostReport cb = CostModel.of(before.spec());
        CostReport ca = CostModel.of(after.spec());
        Table t = new Table("", "before", "after", "after/before");
        t.row("FLOPs (MACs/image)", Table.count(cb.macs()), Table.count(ca.macs()), ratio(ca.macs(), cb.macs()));
        t.row("parameters", Table.count(cb.params()), Table.count(ca.params()), ratio(ca.params(), cb.params()));
        String measuredHow = null;
        if (!noLatency) {
            LatencyMeter meter = new LatencyMeter();
            // Measured together, so a busy moment of the machine slows both rather than skewing the ratio.
            Map<String, List<LatencyMeter.Latency>> latency =
                    meter.measureTogether(Map.of("before", before, "after", after));
            List<LatencyMeter.Latency> lb = latency.get("before");
            List<LatencyMeter.Latency> la = latency.get("after");
            for (int i = 0; i < lb.size(); i++) {
                t.row("latency batch " + lb.get(i).batchSize() + " (" + lb.get(i).device() + ")", lb.get(i).display(),
                        la.get(i).display(), String.format("%.3f", la.get(i).medianMs() / lb.get(i).medianMs()));
            }
            measuredHow = "latency: " + meter.describe(LatencyMeter.DEFAULT_BATCH_SIZES);
        }
        w.println();
        t.print(w);
        if (measuredHow != null) {
            w.println(measuredHow);
        }
    }

    private static String ratio(long a, long b) {
        return String.format("%.3f", (double) a / b);
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the job's temporary folder " + folder, e);
        }
    }
}
