package io.prunestream.pipeline;

import java.util.Optional;
import java.util.OptionalLong;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@link ObjectStorageClient} on the AWS SDK v2: any S3-compatible server (AWS, MinIO, Ceph, s3proxy). */
public final class AwsS3ObjectStorageClient implements ObjectStorageClient, AutoCloseable {
    private static final int NOT_FOUND = 404;

    private final S3Client s3;
    private final String bucket;
    private final String where;

    public AwsS3ObjectStorageClient(String bucket, S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .region(Region.of(settings.region()))
                .credentialsProvider(settings.credentials())
                .forcePathStyle(settings.pathStyle())
                // The SDK's default CRC32 trailers (streaming, aws-chunked) are newer than many
                // S3-compatible servers; the store checks sha256 of everything it reads anyway.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        this.s3 = builder.build();
        this.bucket = bucket;
        this.where = "S3 bucket '" + bucket + "'" + settings.endpoint().map(e -> " at " + e).orElse("");
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public void put(String key, byte[] content) {
        call(key, () -> s3.putObject(b -> b.bucket(bucket).key(key).contentLength((long) content.length),
                RequestBody.fromBytes(content)));
    }

    @Override
    public Optional<byte[]> get(String key) {
        try {
            ResponseBytes<GetObjectResponse> bytes = call(key, () -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
            return Optional.of(bytes.asByteArray());
        } catch (ObjectMissing e) {
            return Optional.empty();
        }
    }

    @Override
    public OptionalLong head(String key) {
        try {
            return OptionalLong.of(call(key, () -> s3.headObject(b -> b.bucket(bucket).key(key))).contentLength());
        } catch (ObjectMissing e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public java.util.List<String> list(String prefix) {
        // The paginator asks for the next page (1000 keys each) only while it is iterated.
        return call(prefix, () -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(software.amazon.awssdk.services.s3.model.S3Object::key).toList());
    }

    @Override
    public void delete(String key) {
        call(key, () -> s3.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    private <T> T call(String key, java.util.function.Supplier<T> request) {
        try {
            return request.get();
        } catch (NoSuchKeyException e) {
            throw new ObjectMissing();
        } catch (S3Exception e) {
            // HEAD answers have no body, so a missing key arrives as a bare 404.
            if (e.statusCode() == NOT_FOUND && !"NoSuchBucket".equals(errorCode(e))) {
                throw new ObjectMissing();
            }
            throw failed(key, e);
        } catch (SdkException e) {
            throw failed(key, e);
        }
    }

    private ArtifactException failed(String key, SdkException e) {
        return new ArtifactException(ArtifactException.Reason.IO_ERROR, "cannot access '" + key + "' in " + where
                + ": " + e.getMessage(), e);
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    /** Control flow only: turned into an empty answer above. */
    private static final class ObjectMissing extends RuntimeException {
        ObjectMissing() {
            super(null, null, false, false);
        }
    }

    @Override
    public void close() {
        s3.close();
    }
}
