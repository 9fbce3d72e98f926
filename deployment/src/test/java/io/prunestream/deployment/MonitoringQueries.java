package io.prunestream.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The PromQL of the Grafana dashboard and of the alert rules in monitoring/, and the metrics it names. */
final class MonitoringQueries {
    static final String DASHBOARD = "monitoring/grafana/dashboards/prunestream.json";
    static final String ALERTS = "monitoring/prometheus/alerts.yml";
    static final String PROMETHEUS = "monitoring/prometheus/prometheus.yml";

    /**
     * Metric names are told apart from functions, labels and keywords by the prefixes of what the
     * services expose: the pipeline's own, Kafka client, JVM, process and system meters.
     */
    private static final Pattern METRIC = Pattern.compile("\\b(?:prunestream|kafka|jvm|process|system)_[a-zA-Z0-9_]+");

    private MonitoringQueries() {}

    /** Every {@code expr} of the dashboard's panels and of the alert rules. */
    static List<String> expressions() {
        List<String> exprs = new ArrayList<>();
        collectExpr(RepositoryFiles.json(DASHBOARD), exprs);
        for (JsonNode group : RepositoryFiles.yaml(ALERTS).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                exprs.add(rule.path("expr").asText());
            }
        }
        return exprs;
    }

    static Set<String> metricNames(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                names.add(m.group());
            }
        }
        return names;
    }

    private static void collectExpr(JsonNode node, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getKey().equals("expr") && field.getValue().isTextual()) {
                    into.add(field.getValue().asText());
                } else {
                    collectExpr(field.getValue(), into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectExpr(child, into));
        }
    }
}
