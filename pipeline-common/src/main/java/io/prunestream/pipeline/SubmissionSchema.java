package io.prunestream.pipeline;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The published JSON Schema of {@link Submission} (draft-07, which every schema registry and most
 * languages' validators read), and validation against it. The schema is the contract producers code
 * against, so the intake checks records with the schema itself rather than with Java rules that could
 * drift from it.
 */
public final class SubmissionSchema {
    /** Class-path resource, also the file in the repository: pipeline-common/src/main/resources/... */
    public static final String RESOURCE = "schema/submission-v1.json";
    /** Record header naming what a value is (Kafka has no standard one; this is the common spelling). */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String CONTENT_TYPE = "application/vnd.prunestream.submission.v1+json";
    /** The internal record, still accepted on prune.jobs from producers written before the contract. */
    public static final String INTERNAL_CONTENT_TYPE = "application/vnd.prunestream.job+json";

    private static final String TEXT = load();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7)
            .getSchema(TEXT, InputFormat.JSON);

    private SubmissionSchema() {}

    /** The schema as published. */
    public static String text() {
        return TEXT;
    }

    /**
     * Every way {@code json} breaks the schema, each as {@code field.path: what is wrong}; empty when it
     * conforms. Input that is not JSON at all is one problem saying so.
     */
    public static List<String> violations(String json) {
        List<Error> errors;
        try {
            errors = SCHEMA.validate(json, InputFormat.JSON);
        } catch (RuntimeException e) {
            // The validator parses the input itself; its parse errors carry no instance location.
            return List.of("not a JSON document: " + e.getMessage());
        }
        return errors.stream().map(SubmissionSchema::describe).toList();
    }

    /** {@code model.sha256: does not match ...}; the validator writes JSON pointers, people read dots. */
    private static String describe(Error error) {
        String pointer = String.valueOf(error.getInstanceLocation());
        String where = pointer.isEmpty() || pointer.equals("/") ? "the record"
                : pointer.replaceFirst("^/", "").replace('/', '.');
        return where + ": " + error.getMessage();
    }

    private static String load() {
        try (InputStream in = SubmissionSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
