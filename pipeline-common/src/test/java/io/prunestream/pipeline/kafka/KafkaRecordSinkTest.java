package io.prunestream.pipeline.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.pipeline.stage.Outgoing;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** The sink's contract without a broker: what it hands the emitter, and that it waits for the outcome. */
class KafkaRecordSinkTest {
    @Test
    void sendsTopicKeyAndHeadersAsKafkaMetadataAndReturnsOnlyOnceAcknowledged() {
        AtomicBoolean acknowledged = new AtomicBoolean();
        RecordingEmitter emitter = new RecordingEmitter(message -> CompletableFuture.runAsync(() -> {
            acknowledged.set(true);
            message.ack();
        }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS)));
        KafkaRecordSink sink = new KafkaRecordSink(emitter, Duration.ofSeconds(10), (SentRecordLookup) null);

        sink.send(new Outgoing("prune.score", "job-1", "{\"x\":1}", Map.of("error", "why")));

        assertTrue(acknowledged.get(), "send returned before the broker acknowledged");
        assertEquals("{\"x\":1}", emitter.last.getPayload());
        OutgoingKafkaRecordMetadata<?> metadata =
                emitter.last.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow();
        assertEquals("prune.score", metadata.getTopic());
        assertEquals("job-1", metadata.getKey());
        assertEquals("why", new String(metadata.getHeaders().lastHeader("error").value(), StandardCharsets.UTF_8));
    }

    @Test
    void recordWithoutKeyIsSentWithoutOne() {
        RecordingEmitter emitter = new RecordingEmitter(Message::ack);
        new KafkaRecordSink(emitter, Duration.ofSeconds(10), (SentRecordLookup) null).send(new Outgoing("prune.dead-letter", null, "garbage"));
        assertNull(emitter.last.getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey());
    }

    @Test
    void refusedRecordFailsTheSendWithTheBrokersReason() {
        IllegalStateException refused = new IllegalStateException("record too large");
        RecordingEmitter emitter = new RecordingEmitter(message -> message.nack(refused));
        KafkaRecordSink sink = new KafkaRecordSink(emitter, Duration.ofSeconds(10), (SentRecordLookup) null);

        KafkaRecordSink.RecordNotSentException e = assertThrows(KafkaRecordSink.RecordNotSentException.class,
                () -> sink.send(new Outgoing("prune.results", "job-2", "{}")));
        assertSame(refused, e.getCause());
        assertTrue(e.getMessage().contains("prune.results") && e.getMessage().contains("job-2"), e.getMessage());
    }

    @Test
    void noAcknowledgementInTimeFailsTheSend() {
        RecordingEmitter emitter = new RecordingEmitter(message -> { });
        KafkaRecordSink sink = new KafkaRecordSink(emitter, Duration.ofMillis(100), (SentRecordLookup) null);

        KafkaRecordSink.RecordNotSentException e = assertThrows(KafkaRecordSink.RecordNotSentException.class,
                () -> sink.send(new Outgoing("prune.events", "job-3", "{}")));
        assertTrue(e.getMessage().contains("no acknowledgement"), e.getMessage());
    }

    /** Stands in for the Kafka connector: keeps the last message and settles it as the test says. */
    private static final class RecordingEmitter implements Emitter<String> {
        private final Consumer<Message<String>> broker;
        Message<String> last;

        RecordingEmitter(Consumer<Message<String>> broker) {
            this.broker = broker;
        }

        @Override
        public CompletionStage<Void> send(String payload) {
            throw new UnsupportedOperationException("the sink sends messages, with metadata");
        }

        @Override
        @SuppressWarnings("unchecked")
        public <M extends Message<? extends String>> void send(M message) {
            last = (Message<String>) message;
            broker.accept(last);
        }

        @Override
        public void complete() {
        }

        @Override
        public void error(Exception e) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public boolean hasRequests() {
            return true;
        }
    }
}
