package io.prunestream.pipeline.kafka;

import io.prunestream.core.engine.EngineNumerics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Every service judges the engine's numerics at startup, before it takes a record, rather than on
 * its first job: a wrong engine is then visible on {@code /q/health/ready} (DOWN, with the reason)
 * instead of as NaN in some job's report, and the engine's load time is paid before the service
 * reports ready rather than by the first job.
 */
@ApplicationScoped
@Readiness
public class EngineNumericsReadiness implements HealthCheck {
    static final String NAME = "engine-numerics";

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
        EngineNumerics.status();
    }

    @Override
    public HealthCheckResponse call() {
        EngineNumerics.Status status = EngineNumerics.status();
        return HealthCheckResponse.named(NAME)
                .status(status.safe())
                .withData("mode", status.mode().name().toLowerCase(java.util.Locale.ROOT))
                .withData("oneDnnIsa", status.oneDnnIsa())
                .withData("detail", status.describe())
                .build();
    }
}
