package io.prunestream.pipeline.kafka;

import io.prunestream.pipeline.stage.InboundRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Turns what a service's {@code @Incoming @Blocking} method receives into the runner's
 * {@link InboundRecord}. The services take the whole {@link ConsumerRecord} (SmallRye's
 * {@code ConsumerRecordConverter} supplies it) rather than the value alone: the key and position are
 * what make a dead letter traceable, and a record with a null value still reaches the runner, which
 * answers it instead of letting it pass unnoticed.
 */
public final class KafkaInbound {
    private KafkaInbound() {}

    public static InboundRecord of(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return new InboundRecord(record.key(), record.value(), record.topic(), record.partition(), record.offset(),
                headers);
    }
}
