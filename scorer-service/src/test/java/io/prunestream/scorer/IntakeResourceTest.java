package io.prunestream.scorer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.prunestream.pipeline.SubmissionSchema;
import io.prunestream.testkit.InJvmKafkaResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(InJvmKafkaResource.class)
class IntakeResourceTest {
    @Test
    void theSubmissionSchemaIsServedAsPublished() {
        given().when().get("/schema/submission-v1.json").then()
                .statusCode(200)
                .contentType(startsWith(IntakeResource.SCHEMA_TYPE))
                .body(equalTo(SubmissionSchema.text()));
    }
}
