package io.prunestream.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prunestream.pipeline.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Builds the kustomize base and every overlay with {@code kubectl kustomize} and checks the
 * resources against the code: each service's Deployment, probes, resources and consumed topics, the
 * topics, the autoscalers' consumer groups, and that credentials are only referenced.
 */
class KustomizeOverlaysTest {
    private static final Map<String, List<JsonNode>> BUILT = new ConcurrentHashMap<>();

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/gpu"})
    void everyServiceRunsWithProbesResourcesAndTheTopicsItConsumes(String dir) {
        Resources r = new Resources(build(dir));
        Set<String> topics = r.topicPartitions().keySet();
        for (ServiceConfig service : ServiceConfig.all()) {
            JsonNode container = r.container(service.name());
            assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText(), service.name());
            assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText(), service.name());
            JsonNode port = StreamSupport.stream(container.path("ports").spliterator(), false)
                    .filter(p -> p.path("name").asText().equals(container.at("/readinessProbe/httpGet/port").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError(service.name() + ": probes use no declared port"));
            assertEquals(service.httpPort(), port.path("containerPort").asInt(),
                    service.name() + ": container port vs quarkus.http.port");
            for (String request : List.of("cpu", "memory")) {
                assertFalse(container.at("/resources/requests/" + request).asText().isEmpty(),
                        service.name() + " requests no " + request);
            }
            assertFalse(container.at("/resources/limits/memory").asText().isEmpty(), service.name() + " memory limit");
            Map<String, JsonNode> env = env(container);
            for (ServiceConfig.Consumer consumer : service.consumers().values()) {
                JsonNode topic = env.get(consumer.topicVariable());
                assertNotNull(topic, service.name() + " names no " + consumer.topicVariable());
                assertEquals(consumer.topic(), topic.path("value").asText(), service.name() + " " + consumer.channel());
                assertTrue(topics.contains(consumer.topic()), consumer.topic() + " has no KafkaTopic");
            }
            assertTrue(r.mountsClaim(service.name(), r.one("PersistentVolumeClaim").at("/metadata/name").asText()),
                    service.name() + " does not mount the artifact volume");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/gpu"})
    void everyTopicOfThePipelineIsAKafkaTopicOfTheStrimziCluster(String dir) {
        Resources r = new Resources(build(dir));
        assertEquals(Set.copyOf(Topics.ALL), r.topicPartitions().keySet());
        for (JsonNode topic : r.all("KafkaTopic")) {
            assertEquals("prunestream-kafka", topic.at("/metadata/labels/strimzi.io~1cluster").asText());
            assertTrue(topic.at("/spec/replicas").asInt() >= 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/gpu"})
    void everyServiceScalesOnTheLagOfItsOwnConsumerGroup(String dir) {
        Resources r = new Resources(build(dir));
        Set<String> auths = r.all("TriggerAuthentication").stream().map(a -> a.at("/metadata/name").asText())
                .collect(Collectors.toSet());
        Map<String, Integer> partitions = r.topicPartitions();
        for (ServiceConfig service : ServiceConfig.all()) {
            JsonNode scaled = r.all("ScaledObject").stream()
                    .filter(s -> s.at("/spec/scaleTargetRef/name").asText().equals(service.name())).findFirst()
                    .orElseThrow(() -> new AssertionError("no ScaledObject scales " + service.name()));
            Set<String> watched = new HashSet<>();
            for (JsonNode trigger : scaled.at("/spec/triggers")) {
                assertEquals("kafka", trigger.path("type").asText());
                JsonNode meta = trigger.path("metadata");
                String topic = meta.path("topic").asText();
                ServiceConfig.Consumer consumer = service.consumers().values().stream()
                        .filter(c -> c.topic().equals(topic)).findFirst()
                        .orElseThrow(() -> new AssertionError(service.name() + " scales on " + topic + ", which it does not consume"));
                assertEquals(consumer.groupId(), meta.path("consumerGroup").asText(), service.name() + " on " + topic);
                assertTrue(meta.path("lagThreshold").asInt() > 0, "lagThreshold");
                assertFalse(meta.path("bootstrapServers").asText().isEmpty(), "bootstrapServers");
                assertTrue(auths.contains(trigger.at("/authenticationRef/name").asText()),
                        service.name() + ": TriggerAuthentication missing");
                assertTrue(scaled.at("/spec/maxReplicaCount").asInt() <= partitions.get(topic),
                        service.name() + ": more replicas than " + topic + " has partitions would idle");
                watched.add(topic);
            }
            assertEquals(Set.copyOf(service.topics()), watched, service.name() + " scales on every topic it consumes");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/gpu"})
    void credentialsAreOnlyReferencedFromASecret(String dir) {
        Resources r = new Resources(build(dir));
        assertTrue(r.all("Secret").isEmpty(), "a Secret in the repository");
        for (ServiceConfig service : ServiceConfig.all()) {
            Map<String, JsonNode> env = env(r.container(service.name()));
            for (String name : List.of("KAFKA_USERNAME", "KAFKA_PASSWORD")) {
                assertEquals("prunestream-kafka-credentials", env.get(name).at("/valueFrom/secretKeyRef/name").asText(),
                        service.name() + " " + name);
            }
            assertFalse(env.get("KAFKA_SASL_JAAS_CONFIG").path("value").asText().matches(".*password=\"[^$].*"),
                    "a literal password in " + service.name());
        }
        for (JsonNode ref : r.one("TriggerAuthentication").at("/spec/secretTargetRef")) {
            assertFalse(ref.path("name").asText().isEmpty());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/base", "k8s/overlays/dev", "k8s/overlays/gpu"})
    void prometheusScrapesTheServicesAndGrafanaGetsTheDashboard(String dir) throws IOException {
        Resources r = new Resources(build(dir));
        JsonNode monitor = r.one("ServiceMonitor");
        assertEquals("/q/metrics", monitor.at("/spec/endpoints/0/path").asText());
        for (ServiceConfig service : ServiceConfig.all()) {
            JsonNode svc = r.named("Service", service.name());
            monitor.at("/spec/selector/matchLabels").fields().forEachRemaining(label -> assertEquals(
                    label.getValue().asText(), svc.at("/metadata/labels").path(label.getKey()).asText(),
                    "ServiceMonitor does not select " + service.name()));
            assertEquals(monitor.at("/spec/endpoints/0/port").asText(), svc.at("/spec/ports/0/name").asText());
        }
        JsonNode dashboard = r.all("ConfigMap").stream()
                .filter(c -> c.at("/metadata/labels/grafana_dashboard").asText().equals("1")).findFirst()
                .orElseThrow(() -> new AssertionError("no ConfigMap labelled grafana_dashboard: \"1\""));
        assertEquals(Files.readString(RepositoryFiles.path(MonitoringQueries.DASHBOARD)),
                dashboard.at("/data/prunestream.json").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/dev"})
    void devRunsOneReplicaOfEverything(String dir) {
        Resources r = new Resources(build(dir));
        r.all("Deployment").forEach(d -> assertEquals(1, d.at("/spec/replicas").asInt(), d.at("/metadata/name").asText()));
        r.all("ScaledObject").forEach(s -> assertEquals(1, s.at("/spec/maxReplicaCount").asInt()));
        assertEquals("PLAINTEXT", r.named("ConfigMap", "prunestream-config").at("/data/KAFKA_SECURITY_PROTOCOL").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"k8s/overlays/gpu"})
    void gpuOverlayGivesOnlyFinetuningAGpuNode(String dir) {
        Resources r = new Resources(build(dir));
        for (ServiceConfig service : ServiceConfig.all()) {
            JsonNode pod = r.named("Deployment", service.name()).at("/spec/template/spec");
            JsonNode gpus = r.container(service.name()).at("/resources/limits/nvidia.com~1gpu");
            if (service.name().equals("finetune-service")) {
                assertEquals(1, gpus.asInt(), "nvidia.com/gpu limit");
                assertTrue(r.container(service.name()).path("image").asText().contains("finetune-service-gpu"));
                assertEquals("true", pod.at("/nodeSelector/nvidia.com~1gpu.present").asText());
                assertEquals("nvidia.com/gpu", pod.at("/tolerations/0/key").asText());
            } else {
                assertTrue(gpus.isMissingNode(), service.name() + " asks for a GPU");
                assertTrue(pod.path("nodeSelector").isMissingNode(), service.name() + " is pinned to GPU nodes");
            }
        }
    }

    private static Map<String, JsonNode> env(JsonNode container) {
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }

    /** The output of {@code kubectl kustomize dir}, once per directory. */
    static List<JsonNode> build(String dir) {
        return BUILT.computeIfAbsent(dir, d -> RepositoryFiles.yamlDocuments(kustomize(RepositoryFiles.path(d))));
    }

    private static String kustomize(Path dir) {
        assumeTrue(Kubectl.available(), "kubectl not found on PATH: the kustomize overlays are not built here");
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot run kubectl: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The resources of one build, by kind and name. */
    private record Resources(List<JsonNode> docs) {
        List<JsonNode> all(String kind) {
            return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = all(kind);
            assertEquals(1, found.size(), "expected exactly one " + kind);
            return found.get(0);
        }

        JsonNode named(String kind, String name) {
            return all(kind).stream().filter(d -> d.at("/metadata/name").asText().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
        }

        JsonNode container(String deployment) {
            return named("Deployment", deployment).at("/spec/template/spec/containers/0");
        }

        boolean mountsClaim(String deployment, String claim) {
            JsonNode pod = named("Deployment", deployment).at("/spec/template/spec");
            String volume = StreamSupport.stream(pod.path("volumes").spliterator(), false)
                    .filter(v -> v.at("/persistentVolumeClaim/claimName").asText().equals(claim))
                    .map(v -> v.path("name").asText()).findFirst().orElse(null);
            return volume != null && StreamSupport.stream(container(deployment).path("volumeMounts").spliterator(), false)
                    .anyMatch(m -> m.path("name").asText().equals(volume));
        }

        /** Kafka topic name (spec.topicName, else the resource's name) to partitions. */
        Map<String, Integer> topicPartitions() {
            Map<String, Integer> topics = new HashMap<>();
            for (JsonNode t : all("KafkaTopic")) {
                String name = t.at("/spec/topicName").asText();
                topics.put(name.isEmpty() ? t.at("/metadata/name").asText() : name, t.at("/spec/partitions").asInt());
            }
            return topics;
        }
    }
}
