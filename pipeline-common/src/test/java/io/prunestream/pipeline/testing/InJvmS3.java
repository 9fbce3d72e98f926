package io.prunestream.pipeline.testing;

import io.prunestream.pipeline.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A real S3 API server in this JVM: s3proxy over a jclouds filesystem blob store in a folder, on a
 * free loopback port, checking AWS signatures (V2 or V4) against fixed test credentials. What the
 * AWS SDK does against it is what it does against S3: signed HTTP requests and S3's XML answers.
 * Shared with other modules' tests through this module's test-jar.
 */
public final class InJvmS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "prunestream-test";
    public static final String SECRET_KEY = "prunestream-test-secret";

    private final BlobStoreContext context;
    private final S3Proxy proxy;

    public InJvmS3(Path folder, String... buckets) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", folder.toString());
        context = ContextBuilder.newBuilder("filesystem").overrides(properties).build(BlobStoreContext.class);
        for (String bucket : buckets) {
            context.getBlobStore().createContainerInLocation(null, bucket);
        }
        proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
        proxy.start();
        Awaitility.await("s3proxy started").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(proxy::getState, "STARTED"::equals);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** How a PruneStream process reaches this server. */
    public S3Settings settings() {
        return new S3Settings(Optional.of(endpoint()), S3Settings.DEFAULT_REGION, true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        context.close();
    }
}
