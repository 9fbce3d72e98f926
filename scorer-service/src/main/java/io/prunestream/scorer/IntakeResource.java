package io.prunestream.scorer;

import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.ModelUploads;
import io.prunestream.pipeline.Submission;
import io.prunestream.pipeline.SubmissionSchema;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The intake's HTTP side, for producers that have never seen this code and share no folder with the
 * pipeline: the contract of what they write on {@code prune.jobs}, and a way to put their model
 * where the pipeline can read it. Model packages only (zip); a TensorFlow SavedModel is converted
 * first with {@code prunectl import}, since the TensorFlow bridge and its natives are not part of
 * this service.
 */
@Path("/")
public class IntakeResource {
    static final String SCHEMA_TYPE = "application/schema+json";

    private final ModelUploads uploads;

    @Inject
    public IntakeResource(ArtifactStore store,
            @ConfigProperty(name = "prunestream.upload.max-bytes", defaultValue = "" + ModelUploads.DEFAULT_MAX_BYTES)
            long maxUploadBytes) {
        this.uploads = new ModelUploads(store, maxUploadBytes);
    }

    /** The JSON Schema the intake validates every submission against, as published in the repository. */
    @GET
    @Path("schema/submission-v1.json")
    @Produces(SCHEMA_TYPE)
    public String submissionSchema() {
        return SubmissionSchema.text();
    }

    /**
     * Stores a model package zip sent as the request body; answers 201 with the {@code model} object
     * of a submission ({@code uri}, {@code size}, {@code sha256}), or 400/413 with {@code {"error": ...}}.
     */
    @POST
    @Path("models")
    @Consumes({"application/zip", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(InputStream body, @QueryParam("name") String name) {
        try {
            Submission.ModelReference model = uploads.accept(body, name);
            return Response.status(Response.Status.CREATED).entity(model).build();
        } catch (ModelUploads.Rejected e) {
            return Response.status(e.tooLarge() ? Response.Status.REQUEST_ENTITY_TOO_LARGE : Response.Status.BAD_REQUEST)
                    .entity(Map.of("error", e.getMessage())).build();
        }
    }
}
