package io.prunestream.cli;

import io.prunestream.pipeline.JobEvent;
import io.prunestream.pipeline.ControlMessage;
import io.prunestream.pipeline.JobMessage;
import io.prunestream.pipeline.JobResult;
import io.prunestream.pipeline.Json;
import io.prunestream.pipeline.Submission;
import io.prunestream.pipeline.SubmissionSchema;
import io.prunestream.pipeline.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Submits jobs and follows them, with plain Kafka clients: the user's side of the pipeline. */
public final class PipelineClient {
    private final String bootstrap;

    public PipelineClient(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Sends a job to {@code prune.jobs}, keyed by its id, and waits for the broker's acknowledgement. */
    public void submit(JobMessage job) {
        send(Topics.JOBS, job.jobId(), Json.toJson(job), "submitting");
    }

    /**
     * Sends a producer's submission to {@code prune.jobs}, keyed by its job id and labelled with the
     * contract's content type, and waits for the broker's acknowledgement.
     */
    public void submit(Submission submission) {
        send(Topics.JOBS, submission.jobId(), Json.toJson(submission), "submitting",
                Map.of("content-type", SubmissionSchema.CONTENT_TYPE));
    }

    /** Asks the pipeline to cancel a job ({@code prune.control}); its CANCELLED result follows on {@code prune.results}. */
    public void cancel(String jobId, String reason) {
        send(Topics.CONTROL, jobId, Json.toJson(ControlMessage.cancel(jobId, reason)), "cancelling");
    }

    private void send(String topic, String key, String value, String doing) {
        send(topic, key, value, doing, Map.of());
    }

    private void send(String topic, String key, String value, String doing, Map<String, String> headers) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, key, value);
            headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + " (is `prunectl up` running?): "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing, e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("cannot reach Kafka at " + bootstrap + ": " + e.getMessage(), e);
        }
    }

    /**
     * Follows a job's events from the beginning of {@code prune.events} and returns its result from
     * {@code prune.results}; each event of the job is handed to {@code onEvent} as it arrives.
     */
    public JobResult watch(String jobId, Duration timeout, Consumer<JobEvent> onEvent) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        // A fresh group each time: every watcher reads the whole history, and commits nothing.
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "prunectl-watch-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        long end = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.EVENTS, Topics.RESULTS));
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (!jobId.equals(r.key())) {
                        continue;
                    }
                    if (r.topic().equals(Topics.EVENTS)) {
                        onEvent.accept(Json.fromJson(r.value(), JobEvent.class));
                    } else {
                        return Json.fromJson(r.value(), JobResult.class);
                    }
                }
            }
        }
        throw new IllegalStateException("no result for job " + jobId + " within " + timeout.toSeconds()
                + " s (is the pipeline running? `prunectl up`)");
    }
}
