package io.prunestream.pipeline.kafka;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A service started by another process ({@code prunectl up}, a benchmark) dies with it: Linux does
 * not end children with their parent, and a JVM cannot ask for {@code PR_SET_PDEATHSIG}, so a parent
 * killed with SIGKILL (or one whose shutdown hook did not run) would leave four services busy with
 * nothing to talk to. The parent passes its pid as {@code prunestream.parent-pid} (env
 * {@code PRUNESTREAM_PARENT_PID}); once that process is gone this one shuts down the normal way, so a
 * stage in progress hands its record back ({@link StageRunners}). Without the setting (Kubernetes,
 * compose) nothing is watched.
 */
@ApplicationScoped
public class ParentProcessWatch {
    private static final Logger LOG = Logger.getLogger(ParentProcessWatch.class);
    private final Optional<Long> parentPid;

    public ParentProcessWatch(@ConfigProperty(name = "prunestream.parent-pid") Optional<Long> parentPid) {
        this.parentPid = parentPid;
    }

    void onStart(@Observes StartupEvent event) {
        parentPid.ifPresent(pid -> ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> exit("parent process " + pid + " has exited")),
                () -> exit("parent process " + pid + " is not running")));
    }

    private static void exit(String why) {
        LOG.warnf("%s: shutting down", why);
        Quarkus.asyncExit(0);
    }
}
