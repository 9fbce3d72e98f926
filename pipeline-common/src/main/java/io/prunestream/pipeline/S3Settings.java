package io.prunestream.pipeline;

import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * How to reach S3-compatible storage. Read from configuration ({@link #fromConfig}) by the services and
 * from the environment ({@link #fromEnvironment}) by {@code prunectl}:
 * <ul>
 *   <li>{@code prunestream.s3.endpoint} ({@code PRUNESTREAM_S3_ENDPOINT}, else the SDK's own
 *       {@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL}): the server, e.g.
 *       {@code http://minio:9000}; left out, AWS itself;</li>
 *   <li>{@code prunestream.s3.region} ({@code PRUNESTREAM_S3_REGION}, else {@code AWS_REGION}; default
 *       {@value #DEFAULT_REGION}, which S3-compatible servers accept whatever their own);</li>
 *   <li>{@code prunestream.s3.path-style} ({@code PRUNESTREAM_S3_PATH_STYLE}): {@code bucket} in the
 *       path rather than the host name; default true when an endpoint is given, since self-hosted
 *       servers rarely have a DNS name per bucket;</li>
 *   <li>credentials: never in PruneStream's configuration; the AWS SDK's default chain
 *       ({@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}, profiles, web identity on Kubernetes,
 *       instance roles).</li>
 * </ul>
 */
public record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle, AwsCredentialsProvider credentials) {
    public static final String DEFAULT_REGION = "us-east-1";

    public static S3Settings fromConfig(Function<String, Optional<String>> config) {
        Optional<URI> endpoint = config.apply("prunestream.s3.endpoint")
                .or(() -> env("AWS_ENDPOINT_URL_S3")).or(() -> env("AWS_ENDPOINT_URL"))
                .filter(text -> !text.isBlank()).map(S3Settings::endpoint);
        String region = config.apply("prunestream.s3.region").or(() -> env("AWS_REGION"))
                .filter(text -> !text.isBlank()).orElse(DEFAULT_REGION);
        boolean pathStyle = config.apply("prunestream.s3.path-style").map(Boolean::parseBoolean)
                .orElse(endpoint.isPresent());
        return new S3Settings(endpoint, region, pathStyle, DefaultCredentialsProvider.builder().build());
    }

    /** System properties by their configuration names, else the environment variables named above. */
    public static S3Settings fromEnvironment() {
        return fromConfig(key -> Optional.ofNullable(System.getProperty(key))
                .or(() -> env(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_').replace('-', '_'))));
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name));
    }

    private static URI endpoint(String text) {
        URI uri = URI.create(text.strip());
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("S3 endpoint '" + text + "' must be an http:// or https:// URL");
        }
        return uri;
    }
}
