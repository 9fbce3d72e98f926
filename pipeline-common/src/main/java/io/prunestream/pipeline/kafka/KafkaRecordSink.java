package io.prunestream.pipeline.kafka;

import io.prunestream.pipeline.stage.Outgoing;
import io.prunestream.pipeline.stage.RecordSink;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Sends the stages' records to Kafka on one outgoing channel, {@value #CHANNEL}, each record naming
 * its own topic, key and headers. {@link #send} returns only once the broker has acknowledged the
 * record, because the {@link io.prunestream.pipeline.stage.StageRunner} marks a unit of work done
 * right after its outputs are sent: returning earlier could lose a job's next message in a crash.
 * The channel's settings (connector, serializers, {@code acks=all}) are in this module's
 * {@code META-INF/microprofile-config.properties}.
 */
@ApplicationScoped
public class KafkaRecordSink implements RecordSink {
    public static final String CHANNEL = "pipeline-out";

    private final Emitter<String> emitter;
    private final Duration ackTimeout;
    private final SentRecordLookup lookup;

    @Inject
    public KafkaRecordSink(@Channel(CHANNEL) Emitter<String> emitter,
            @ConfigProperty(name = "prunestream.send-timeout", defaultValue = "PT2M") Duration ackTimeout,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this(emitter, ackTimeout, new SentRecordLookup(bootstrapServers, ackTimeout));
    }

    /** A sink whose {@link #wasSent} cannot tell ({@code lookup} null), or reads back with {@code lookup}. */
    KafkaRecordSink(Emitter<String> emitter, Duration ackTimeout, SentRecordLookup lookup) {
        this.emitter = emitter;
        this.ackTimeout = ackTimeout;
        this.lookup = lookup;
    }

    @Override
    public Optional<Boolean> wasSent(String topic, String key, Instant since) {
        return lookup == null ? Optional.empty() : Optional.of(lookup.contains(topic, key, since));
    }

    @Override
    public void send(Outgoing record) {
        CompletableFuture<Void> acknowledged = new CompletableFuture<>();
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(record.topic())
                .withKey(record.key())
                .withHeaders(headers)
                .build();
        Message<String> message = Message.of(record.value())
                .addMetadata(metadata)
                .withAck(() -> {
                    acknowledged.complete(null);
                    return CompletableFuture.completedFuture(null);
                })
                .withNack(failure -> {
                    acknowledged.completeExceptionally(failure);
                    return CompletableFuture.completedFuture(null);
                });
        emitter.send(message);
        try {
            acknowledged.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new RecordNotSentException(record, e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new RecordNotSentException(record, "no acknowledgement from the broker within " + ackTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordNotSentException(record, "interrupted while waiting for the broker", e);
        }
    }

    /** The broker did not take a record; the consumed record it belongs to must not be acknowledged. */
    public static final class RecordNotSentException extends RuntimeException {
        RecordNotSentException(Outgoing record, String why, Throwable cause) {
            super("record for " + record.topic() + (record.key() == null ? "" : " (job " + record.key() + ")")
                    + " not sent: " + why, cause);
        }
    }
}
