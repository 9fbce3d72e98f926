package io.prunestream.deployment;

import io.prunestream.cli.ServiceLauncher;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's {@code application.properties} says a deployment must match: its HTTP port and,
 * per incoming channel, the topic and consumer group.
 */
record ServiceConfig(String name, int httpPort, Map<String, Consumer> consumers) {
    private static final Pattern INCOMING_TOPIC = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.topic");

    /** One incoming channel. */
    record Consumer(String channel, String topic, String groupId) {
        /** The environment variable that overrides the channel's topic (MicroProfile Config's mapping). */
        String topicVariable() {
            return "MP_MESSAGING_INCOMING_" + channel.toUpperCase().replaceAll("[^A-Z0-9]", "_") + "_TOPIC";
        }
    }

    /** The four services, in pipeline order. */
    static List<ServiceConfig> all() {
        return ServiceLauncher.SERVICES.keySet().stream().map(ServiceConfig::load).toList();
    }

    static ServiceConfig load(String service) {
        Path file = RepositoryFiles.path(service + "/src/main/resources/application.properties");
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, Consumer> consumers = new LinkedHashMap<>();
        for (String key : new java.util.TreeSet<>(props.stringPropertyNames())) {
            Matcher m = INCOMING_TOPIC.matcher(key);
            if (m.matches()) {
                String channel = m.group(1);
                String group = props.getProperty("mp.messaging.incoming." + channel + ".group.id");
                if (group == null) {
                    throw new AssertionError(file + ": channel " + channel + " has no group.id");
                }
                consumers.put(channel, new Consumer(channel, props.getProperty(key), group));
            }
        }
        return new ServiceConfig(service, Integer.parseInt(props.getProperty("quarkus.http.port")), consumers);
    }

    List<String> topics() {
        return consumers.values().stream().map(Consumer::topic).toList();
    }
}
