package io.prunestream.scorer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.prunestream.core.model.PackageIO;
import io.prunestream.core.zoo.ModelZoo;
import io.prunestream.pipeline.ArtifactRef;
import io.prunestream.pipeline.ArtifactStore;
import io.prunestream.pipeline.SubmissionSchema;
import io.prunestream.testkit.InJvmKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InJvmKafkaResource.class)
class IntakeResourceTest {
    @Inject
    ArtifactStore store;

    @Test
    void theSubmissionSchemaIsServedAsPublished() {
        given().when().get("/schema/submission-v1.json").then()
                .statusCode(200)
                .contentType(startsWith(IntakeResource.SCHEMA_TYPE))
                .body(equalTo(SubmissionSchema.text()));
    }

    @Test
    void anUploadedPackageIsStoredAndAnsweredWithTheReferenceASubmissionUses() throws Exception {
        Path zip = Files.createTempFile("lenet", ".zip");
        PackageIO.saveZip(ModelZoo.create("lenet", 3), zip);
        byte[] content = Files.readAllBytes(zip);
        ExtractableResponse<Response> answer = upload(content, "application/zip").then().statusCode(201).extract();
        String uri = answer.path("uri");
        assertEquals(content.length, answer.<Integer>path("size"));
        assertEquals(sha256(content), answer.path("sha256"));
        ArtifactRef stored = new ArtifactRef(store.pathOf(uri), content.length, sha256(content));
        assertEquals(PackageIO.load(zip).spec(), store.loadModel(stored).spec());
    }

    @Test
    void aBadArchiveGetsAClearJsonErrorAndNoStackTrace() throws Exception {
        upload("not a zip at all".getBytes(), "application/octet-stream").then().statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error", startsWith("not a PruneStream model package zip"))
                .body("error", not(containsString("Exception")))
                .body("error", not(containsString("/tmp/")));
        upload(zipOf("model.json", "{}"), "application/zip").then().statusCode(400)
                .body("error", containsString("needs model.json and weights.safetensors"));
        upload(new byte[0], "application/zip").then().statusCode(400).body("error", containsString("empty"));
    }

    @Test
    void anUploadOverTheLimitIsRefusedNamingTheSetting() {
        upload(new byte[2_000_001], "application/zip").then().statusCode(413)
                .body("error", containsString("limit of 2000000 bytes"))
                .body("error", containsString("PRUNESTREAM_UPLOAD_MAX_BYTES"));
    }

    private static String sha256(byte[] content) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static Response upload(byte[] body, String contentType) {
        return given().contentType(contentType).body(body).when().post("/models?name=lenet");
    }

    private static byte[] zipOf(String entry, String text) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(entry));
            zip.write(text.getBytes());
        }
        return bytes.toByteArray();
    }
}
