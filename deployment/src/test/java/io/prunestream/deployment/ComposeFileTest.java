package io.prunestream.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.prunestream.pipeline.Topics;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml, and the Prometheus and Grafana files it mounts, against the repository: images
 * built from the services' own Dockerfiles, ports from their application.properties, mounted files
 * that exist, every topic created with the partitions Kubernetes gives it.
 */
class ComposeFileTest {
    private static final Pattern TOPIC_SPEC = Pattern.compile("(prune\\.[a-z-]+):(\\d+)");

    /** Parsed with SnakeYAML, which resolves the anchors and merge keys compose files use. */
    static JsonNode compose() {
        try (Reader in = Files.newBufferedReader(RepositoryFiles.path("docker-compose.yml"))) {
            Object tree = new Yaml(new LoaderOptions()).load(in);
            return RepositoryFiles.JSON.valueToTree(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void servicesAreBuiltFromTheirDockerfilesAndPublishTheirHttpPorts() {
        JsonNode services = compose().path("services");
        for (ServiceConfig service : ServiceConfig.all()) {
            JsonNode s = services.path(service.name());
            Path context = RepositoryFiles.path(s.at("/build/context").asText());
            assertTrue(Files.isRegularFile(context.resolve(s.at("/build/dockerfile").asText())),
                    service.name() + ": no Dockerfile at " + s.at("/build/dockerfile").asText());
            assertEquals(context, RepositoryFiles.path(service.name()), service.name() + " built from another module");
            assertTrue(s.path("image").asText().startsWith("prunestream/" + service.name() + ":"), s.path("image").asText());
            assertEquals(List.of(service.httpPort() + ":" + service.httpPort()), strings(s.path("ports")),
                    service.name() + ": published port vs quarkus.http.port");
            String bootstrap = s.at("/environment/KAFKA_BOOTSTRAP_SERVERS").asText();
            assertTrue(services.has(bootstrap.split(":")[0]), "KAFKA_BOOTSTRAP_SERVERS names no compose service: " + bootstrap);
            assertTrue(strings(s.path("volumes")).stream().anyMatch(v -> v.endsWith(":" + s.at("/environment/PRUNESTREAM_WORK_DIR").asText())),
                    service.name() + ": the work dir is not the shared volume");
            assertEquals("service_completed_successfully", s.at("/depends_on/kafka-init/condition").asText());
        }
    }

    @Test
    void kafkaIsTheOfficialImageAtTheVersionOfTheClients() throws IOException {
        Matcher version = Pattern.compile("<kafka.version>([^<]+)</kafka.version>")
                .matcher(Files.readString(RepositoryFiles.path("pom.xml")));
        assertTrue(version.find(), "kafka.version in the root pom");
        JsonNode services = compose().path("services");
        assertEquals("apache/kafka:" + version.group(1), services.at("/kafka/image").asText());
        assertEquals("apache/kafka:" + version.group(1), services.at("/kafka-init/image").asText());
        assertTrue(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText().contains("controller"), "KRaft");
    }

    @Test
    void initCreatesEveryTopicWithThePartitionsOfTheKubernetesTopics() {
        Map<String, Integer> created = new HashMap<>();
        Matcher m = TOPIC_SPEC.matcher(String.join("\n", strings(compose().at("/services/kafka-init/command"))));
        while (m.find()) {
            created.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        Map<String, Integer> kubernetes = new HashMap<>();
        for (JsonNode topic : RepositoryFiles.yamlDocuments(read("k8s/base/kafka-topics.yaml"))) {
            kubernetes.put(topic.at("/spec/topicName").asText(), topic.at("/spec/partitions").asInt());
        }
        assertEquals(Set.copyOf(Topics.ALL), created.keySet());
        assertEquals(kubernetes, created);
    }

    @Test
    void everyMountedFileExists() {
        JsonNode services = compose().path("services");
        services.fields().forEachRemaining(service -> {
            for (String volume : strings(service.getValue().path("volumes"))) {
                String source = volume.split(":")[0];
                if (source.startsWith("./")) {
                    assertTrue(Files.exists(RepositoryFiles.root().resolve(source)), service.getKey() + " mounts " + source);
                } else if (!source.startsWith("/") && !source.startsWith("$")) {
                    assertTrue(compose().path("volumes").has(source), service.getKey() + ": undeclared volume " + source);
                }
            }
        });
    }

    @Test
    void prometheusScrapesEveryServiceAndGrafanaLoadsTheDashboard() {
        JsonNode prometheus = RepositoryFiles.yaml(MonitoringQueries.PROMETHEUS);
        Set<String> targets = new HashSet<>();
        for (JsonNode job : prometheus.path("scrape_configs")) {
            if (job.path("metrics_path").asText().equals("/q/metrics")) {
                job.path("static_configs").forEach(c -> targets.addAll(strings(c.path("targets"))));
            }
        }
        for (ServiceConfig service : ServiceConfig.all()) {
            assertTrue(targets.contains(service.name() + ":" + service.httpPort()), "Prometheus misses " + service.name());
        }
        JsonNode services = compose().path("services");
        List<String> prometheusMounts = strings(services.at("/prometheus/volumes"));
        for (JsonNode rules : prometheus.path("rule_files")) {
            assertTrue(prometheusMounts.stream().anyMatch(v -> v.split(":")[1].equals(rules.asText())),
                    rules.asText() + " is not mounted into Prometheus");
        }
        String dashboards = RepositoryFiles.yaml("monitoring/grafana/provisioning/dashboards/prunestream.yml")
                .at("/providers/0/options/path").asText();
        assertTrue(strings(services.at("/grafana/volumes")).contains("./monitoring/grafana/dashboards:" + dashboards + ":ro"),
                "Grafana's dashboard provider reads " + dashboards + ", where the dashboards are not mounted");
        String datasource = RepositoryFiles.yaml("monitoring/grafana/provisioning/datasources/prometheus.yml")
                .at("/datasources/0/url").asText();
        assertTrue(datasource.contains("prometheus:9090") && services.has("prometheus"), datasource);
    }

    private static String read(String relative) {
        try {
            return Files.readString(RepositoryFiles.path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
