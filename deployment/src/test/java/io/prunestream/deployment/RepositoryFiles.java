package io.prunestream.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.prunestream.cli.ServiceLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The deployment files of the repository these tests run in, read as trees. */
final class RepositoryFiles {
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private RepositoryFiles() {}

    /** The repository root (Surefire sets prunestream.home to this module's parent). */
    static Path root() {
        return ServiceLauncher.projectRoot();
    }

    static Path path(String relative) {
        Path path = root().resolve(relative);
        if (!Files.exists(path)) {
            throw new AssertionError(relative + " does not exist under " + root());
        }
        return path;
    }

    static JsonNode yaml(String relative) {
        return read(YAML, relative);
    }

    static JsonNode json(String relative) {
        return read(JSON, relative);
    }

    /** Every document of a multi-document YAML text (kubectl's output), empty ones left out. */
    static List<JsonNode> yamlDocuments(String text) {
        try {
            return YAML.readerFor(JsonNode.class).<JsonNode>readValues(text).readAll().stream()
                    .filter(doc -> doc != null && !doc.isNull() && !doc.isMissingNode() && !doc.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("not valid YAML: " + e.getMessage(), e);
        }
    }

    private static JsonNode read(ObjectMapper mapper, String relative) {
        try {
            return mapper.readTree(path(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + relative + ": " + e.getMessage(), e);
        }
    }
}
