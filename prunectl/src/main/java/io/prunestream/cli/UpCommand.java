package io.prunestream.cli;

import io.prunestream.pipeline.ArtifactStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start an in-JVM KRaft broker (6 partitions a topic) and the four services on this machine; "
                + "Ctrl-C or SIGTERM stops them all.")
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    PipelineOptions pipeline;

    @Option(names = "--data", paramLabel = "DIR", description = "IDX folder the services read (default: theirs)")
    Path data;

    @Option(names = "--port-offset", paramLabel = "N", defaultValue = "0",
            description = "added to the services' HTTP ports 8081-8084 (default: ${DEFAULT-VALUE})")
    int portOffset;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "1",
            description = "processes per service, in one consumer group each (default: ${DEFAULT-VALUE}; "
                    + "replica r listens on the service's port + 10(r-1))")
    int replicas;

    @Option(names = "--store", paramLabel = "URI",
            description = "where the services keep artifacts: s3://bucket/prefix (endpoint and credentials from "
                    + "PRUNESTREAM_S3_ENDPOINT and the AWS environment) or a folder "
                    + "(default: $PRUNESTREAM_ARTIFACT_STORE, else the work dir's artifacts folder)")
    String store;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (store != null) {
            // A bad scheme or bucket name is reported here, in one line, not as services that never get ready.
            ArtifactStores.fromUri(store);
            if (!store.contains(":")) {
                // The services run in folders of their own: a relative folder must mean the one given here.
                store = Path.of(store).toAbsolutePath().toString();
            }
            System.setProperty(ServiceLauncher.ARTIFACT_STORE_PROPERTY, store);
        }
        LocalPipeline local = LocalPipeline.start(ServiceLauncher.projectRoot(), pipeline.workDir(), data, portOffset, replicas, out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("stopping services and broker...");
            out.flush();
            local.close();
            stopped.countDown();
        }, "prunectl-up-shutdown"));
        String artifacts = store != null ? store : System.getenv("PRUNESTREAM_ARTIFACT_STORE");
        out.println("ready: Kafka at " + local.bootstrap() + ", work dir " + pipeline.workDir() + ", artifacts in "
                + (artifacts == null || artifacts.isBlank() ? pipeline.workDir().resolve("artifacts") : artifacts));
        local.services().ports().forEach((service, port) -> out.printf("  %-20s http://localhost:%d/q/health  "
                + "http://localhost:%d/q/metrics%n", service, port, port));
        out.println("submit with: bin/prunectl submit --model PKG --target-flops 0.5   (Ctrl-C to stop)");
        out.flush();
        stopped.await();
        return 0;
    }
}
