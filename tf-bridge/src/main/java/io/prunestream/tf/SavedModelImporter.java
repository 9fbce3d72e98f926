package io.prunestream.tf;

import io.prunestream.core.data.InputTransform;
import io.prunestream.core.model.ModelFormatException;
import io.prunestream.core.model.InputSpec;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.ModelSpec;
import io.prunestream.core.model.Tensor;
import io.prunestream.tf.convert.ConvertedGraph;
import io.prunestream.tf.convert.GraphConverter;
import io.prunestream.tf.convert.TfSource;
import io.prunestream.tf.convert.WeightRecipe;
import io.prunestream.tf.export.ExportManifest;
import io.prunestream.tf.savedmodel.FlatNode;
import io.prunestream.tf.savedmodel.GraphFlattener;
import io.prunestream.tf.savedmodel.GraphSafety;
import io.prunestream.tf.savedmodel.SavedModelFolder;
import io.prunestream.tf.savedmodel.TensorProtos;
import io.prunestream.tf.savedmodel.VariableReader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;

/**
 * Imports a SavedModel of a Keras CNN as a package, in an order that keeps untrusted graphs from
 * running: file limits, then the op allow-list on the parsed protobuf, then conversion (which fails
 * on unsupported ops by name), and only then the TensorFlow runtime, to restore variable values.
 */
public final class SavedModelImporter {
    private SavedModelImporter() {}

    public static ModelPackage importModel(Path dir, ImportOptions options) {
        SavedModelFolder folder = SavedModelFolder.open(dir, options.limits());
        MetaGraphDef meta = folder.serveGraph();
        String source = "SavedModel " + dir;
        GraphSafety.check(meta, dir.toString());
        SignatureDef sig = signature(meta, options.signature(), source);
        TensorInfo input = single(sig.getInputsMap(), "input", options.signature(), source);
        TensorInfo output = single(sig.getOutputsMap(), "output", options.signature(), source);
        if (input.getDtype() != DataType.DT_FLOAT) {
            throw new ModelFormatException(source + ": input is " + input.getDtype() + ", only float32 is supported");
        }
        GraphFlattener graph = new GraphFlattener(meta.getGraphDef());
        FlatNode placeholder = graph.resolve(input.getName()).node();
        if (!placeholder.op().equals("Placeholder")) {
            throw new ModelFormatException(source + ": signature input '" + input.getName() + "' is not a placeholder");
        }
        String name = options.name() != null ? options.name() : String.valueOf(dir.toAbsolutePath().getFileName());
        ConvertedGraph converted = GraphConverter.convert(placeholder, TensorProtos.shape(input.getTensorShape()),
                graph.resolve(output.getName()), name, source);
        Map<String, Tensor> weights = makeWeights(dir, converted, source);
        return new ModelPackage(describeInput(converted.spec(), meta, options, ExportManifest.read(dir)), weights);
    }

    /**
     * The graph's input is the preprocessed image. A SavedModel PruneStream exported says how it was
     * preprocessed, and gets its InputSpec back; any other is fed [0, 1] pixels plus the transform
     * the caller names.
     */
    private static ModelSpec describeInput(ModelSpec spec, MetaGraphDef meta, ImportOptions options,
            Optional<ExportManifest> manifest) {
        InputSpec in = spec.input();
        InputTransform transform = options.inputTransform();
        if (manifest.isPresent()) {
            in = new InputSpec(in.channels(), in.height(), in.width(), manifest.get().mean(), manifest.get().std());
            transform = transform != InputTransform.NONE ? transform : manifest.get().inputTransform();
        }
        Map<String, Object> info = new LinkedHashMap<>(spec.info());
        info.put("tf.signature", options.signature());
        if (!meta.getMetaInfoDef().getTensorflowVersion().isEmpty()) {
            info.put("tf.version", meta.getMetaInfoDef().getTensorflowVersion());
        }
        if (transform != InputTransform.NONE) {
            info.put(InputTransform.INFO_KEY, transform.key());
        }
        return new ModelSpec(spec.formatVersion(), spec.name(), spec.architecture(), in, spec.classes(), spec.nodes(),
                spec.output(), info);
    }

    private static Map<String, Tensor> makeWeights(Path dir, ConvertedGraph converted, String source) {
        var variables = converted.weights().values().stream().map(WeightRecipe::source)
                .filter(s -> s instanceof TfSource.Variable).map(s -> ((TfSource.Variable) s).name())
                .distinct().toList();
        Map<String, Tensor> values = variables.isEmpty() ? Map.of() : VariableReader.read(dir, variables);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        converted.weights().forEach((key, recipe) -> weights.put(key, recipe.layout().apply(read(recipe.source(),
                values, source))));
        return weights;
    }

    private static Tensor read(TfSource s, Map<String, Tensor> variables, String source) {
        Tensor t = s.values(variables);
        if (t == null) {
            throw new ModelFormatException(source + ": TensorFlow returned no value for " + s);
        }
        if (!Arrays.equals(t.shape(), s.shape())) {
            throw new ModelFormatException(source + ": " + s + " holds a tensor of shape " + Arrays.toString(t.shape())
                    + ", the graph declares " + Arrays.toString(s.shape()));
        }
        return t;
    }

    private static SignatureDef signature(MetaGraphDef meta, String key, String source) {
        SignatureDef sig = meta.getSignatureDefMap().get(key);
        if (sig == null) {
            throw new ModelFormatException(source + " has no signature '" + key + "' (signatures: "
                    + meta.getSignatureDefMap().keySet().stream().filter(k -> !k.startsWith("__")).sorted().toList() + ")");
        }
        return sig;
    }

    private static TensorInfo single(Map<String, TensorInfo> tensors, String what, String signature, String source) {
        if (tensors.size() != 1) {
            throw new ModelFormatException(source + ": signature '" + signature + "' has " + tensors.size() + " " + what
                    + "s " + tensors.keySet() + "; image classifiers with exactly one are supported");
        }
        return tensors.values().iterator().next();
    }
}
