package io.prunestream.tf.savedmodel;

import io.prunestream.core.model.ModelFormatException;
import io.prunestream.core.model.Tensor;
import io.prunestream.tf.TfRuntime;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Reads variable values with the TensorFlow runtime: the SavedModel is loaded (which restores its
 * checkpoint) and each variable is read through a {@code ReadVariableOp}, the one Keras saved next to
 * it or one added here. Call only after {@link GraphSafety} has accepted the graph: loading runs it.
 */
public final class VariableReader {
    private VariableReader() {}

    public static Map<String, Tensor> read(Path savedModel, Collection<String> variables) {
        TfRuntime.ensureLoaded();
        Map<String, Tensor> values = new LinkedHashMap<>();
        try (SavedModelBundle bundle = SavedModelBundle.load(savedModel.toString(), SavedModelFolder.SERVE_TAG)) {
            Ops tf = Ops.create(bundle.graph());
            Session.Runner runner = bundle.session().runner();
            List<String> names = List.copyOf(variables);
            for (String name : names) {
                runner.fetch(readOp(bundle, tf, name));
            }
            try (Result result = runner.run()) {
                for (int i = 0; i < names.size(); i++) {
                    values.put(names.get(i), toTensor((TFloat32) result.get(i)));
                }
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFormatException("TensorFlow could not restore the variables of " + savedModel + ": "
                    + e.getMessage(), e);
        }
        return values;
    }

    private static Operand<TFloat32> readOp(SavedModelBundle bundle, Ops tf, String variable) {
        GraphOperation saved = bundle.graph().operation(variable + "/Read/ReadVariableOp");
        if (saved != null && saved.type().equals("ReadVariableOp")) {
            return saved.output(0);
        }
        GraphOperation handle = bundle.graph().operation(variable);
        if (handle == null || !handle.type().equals("VarHandleOp")) {
            throw new ModelFormatException("SavedModel has no variable '" + variable + "'");
        }
        return tf.withName(variable + "/prunestream_read").readVariableOp(handle.output(0), TFloat32.class);
    }

    private static Tensor toTensor(TFloat32 t) {
        long[] dims = t.shape().asArray();
        int[] shape = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            shape[i] = Math.toIntExact(dims[i]);
        }
        float[] data = new float[Math.toIntExact(t.size())];
        t.copyTo(DataBuffers.of(data, false, false));
        return new Tensor(shape, data);
    }
}
