package io.prunestream.scorer;

import io.prunestream.pipeline.SubmissionSchema;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;

/**
 * The intake's HTTP side, for producers that have never seen this code: the contract of what they
 * write on {@code prune.jobs}.
 */
@Path("/")
public class IntakeResource {
    static final String SCHEMA_TYPE = "application/schema+json";

    /** The JSON Schema the intake validates every submission against, as published in the repository. */
    @GET
    @Path("schema/submission-v1.json")
    @Produces(SCHEMA_TYPE)
    public String submissionSchema() {
        return SubmissionSchema.text();
    }
}
