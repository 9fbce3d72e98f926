package io.prunestream.tf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/** Tampered copies of a SavedModel, for tests of what import refuses. */
final class SavedModels {
    private SavedModels() {}

    /** Copies {@code src} to {@code dst} with its graph rewritten by {@code edit}. */
    static Path edited(Path src, Path dst, UnaryOperator<GraphDef> edit) {
        try {
            try (Stream<Path> files = Files.walk(src)) {
                for (Path p : files.toList()) {
                    Path target = dst.resolve(src.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            Path pb = dst.resolve("saved_model.pb");
            SavedModel sm = SavedModel.parseFrom(Files.readAllBytes(pb));
            SavedModel.Builder b = sm.toBuilder();
            var meta = b.getMetaGraphsBuilder(0);
            meta.setGraphDef(edit.apply(meta.getGraphDef()));
            Files.write(pb, b.build().toByteArray());
            return dst;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a node of type {@code op} to the main graph. */
    static UnaryOperator<GraphDef> addMainNode(String op) {
        return g -> g.toBuilder().addNode(NodeDef.newBuilder().setName("tampered").setOp(op)).build();
    }

    /** Adds a node of type {@code op} to the library function whose name contains {@code function}. */
    static UnaryOperator<GraphDef> addFunctionNode(String function, String op) {
        return g -> editFunctions(g, function, f -> f.toBuilder()
                .addNodeDef(NodeDef.newBuilder().setName("tampered").setOp(op)).build());
    }

    /** Renames every {@code from} op to {@code to} in the functions whose name contains {@code function}. */
    static UnaryOperator<GraphDef> replaceOp(String function, String from, String to) {
        return g -> editFunctions(g, function, f -> {
            FunctionDef.Builder b = f.toBuilder();
            for (NodeDef.Builder n : b.getNodeDefBuilderList()) {
                if (n.getOp().equals(from)) {
                    n.setOp(to);
                }
            }
            return b.build();
        });
    }

    private static GraphDef editFunctions(GraphDef g, String function, UnaryOperator<FunctionDef> edit) {
        GraphDef.Builder b = g.toBuilder();
        var lib = b.getLibraryBuilder();
        for (int i = 0; i < lib.getFunctionCount(); i++) {
            if (lib.getFunction(i).getSignature().getName().contains(function)) {
                lib.setFunction(i, edit.apply(lib.getFunction(i)));
            }
        }
        return b.build();
    }
}
