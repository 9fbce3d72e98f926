package io.prunestream.tf.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelFormatException;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.data.InputTransform;
import io.prunestream.tf.OutputActivation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code assets.extra/prunestream.json}: how to feed and read an exported SavedModel, which its
 * signature cannot say (TensorFlow ignores {@code assets.extra}, the conventional place for such
 * files). Import reads it back, so that a package survives export and import with its preprocessing.
 *
 * @param mean the package's InputSpec mean
 * @param std the package's InputSpec std
 * @param inputTransform what {@link InputTransform} the input needs
 */
public record ExportManifest(double mean, double std, InputTransform inputTransform) {
    public static final String FILE = "assets.extra/prunestream.json";
    static final String FORMAT = "prunestream-savedmodel-export";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static void write(Path savedModel, ModelPackage pkg, OutputActivation activation) throws IOException {
        InputSpec in = pkg.spec().input();
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", TfGraphWriter.INPUT);
        input.put("layout", "NHWC");
        input.put("shape", new int[] {-1, in.height(), in.width(), in.channels()});
        input.put("preprocessing", "(pixel / 255 - mean) / std, then input_transform");
        input.put("mean", in.mean());
        input.put("std", in.std());
        input.put(InputTransform.INFO_KEY, InputTransform.of(pkg.spec()).key());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("package", pkg.spec().name());
        m.put("signature", SavedModelExporter.SIGNATURE);
        m.put("input", input);
        m.put("output", Map.of("name", TfGraphWriter.OUTPUT, "classes", pkg.spec().classes(), "activation",
                activation.key()));
        Path file = savedModel.resolve(FILE);
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), m);
    }

    /** The manifest of a SavedModel PruneStream exported; empty for any other SavedModel. */
    public static Optional<ExportManifest> read(Path savedModel) {
        Path file = savedModel.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (!FORMAT.equals(root.path("format").asText())) {
                return Optional.empty();
            }
            JsonNode in = root.path("input");
            double std = in.path("std").asDouble(1);
            if (!(std > 0) || !Double.isFinite(in.path("mean").asDouble(0))) {
                throw new ModelFormatException(file + ": input std must be positive and mean finite");
            }
            return Optional.of(new ExportManifest(in.path("mean").asDouble(0), std,
                    InputTransform.byKey(in.path(InputTransform.INFO_KEY).asText("none"))));
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelFormatException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
