package io.prunestream.cli;

import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.MessageFormatException;
import io.prunestream.pipeline.Submission;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Puts a model where the pipeline can read it, through the intake's {@code POST /models}. */
final class ModelUpload {
    private final String intake;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ModelUpload(String intake) {
        this.intake = intake.endsWith("/") ? intake.substring(0, intake.length() - 1) : intake;
    }

    /** Uploads the package as a zip; returns the reference a submission names it by. */
    Submission.ModelReference upload(ModelPackage pkg, String name) {
        Path zip = null;
        try {
            zip = Files.createTempFile("prunectl-upload", ".zip");
            PackageIO.saveZip(pkg, zip);
            URI uri = URI.create(intake + "/models?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/zip")
                    .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofFile(zip)).build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalArgumentException("the intake at " + intake + " refused the model (HTTP "
                        + response.statusCode() + "): " + errorOf(response.body()));
            }
            return Json.fromJson(response.body(), Submission.ModelReference.class);
        } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
            throw new IllegalStateException("cannot reach the intake at " + intake
                    + " (is `prunectl up` running? --intake names another address)", e);
        } catch (MessageFormatException e) {
            throw new IllegalStateException("the intake at " + intake + " answered the upload with something other "
                    + "than a model reference: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("uploading the model to " + intake + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading the model", e);
        } finally {
            if (zip != null) {
                zip.toFile().delete();
            }
        }
    }

    private static String errorOf(String body) {
        try {
            Object error = Json.fromJson(body, java.util.Map.class).get("error");
            if (error instanceof String text) {
                return text;
            }
        } catch (MessageFormatException notJson) {
            // fall through to the body as it came
        }
        return body.length() > 500 ? body.substring(0, 500) + "..." : body;
    }
}
