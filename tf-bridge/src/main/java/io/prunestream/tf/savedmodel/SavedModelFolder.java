package io.prunestream.tf.savedmodel;

import com.google.protobuf.InvalidProtocolBufferException;
import io.prunestream.core.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Collectors;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.SavedModel;

/**
 * A SavedModel folder checked against {@link SavedModelLimits}, with its {@code saved_model.pb}
 * parsed as data (no TensorFlow code runs here). Symbolic links are refused anywhere in the folder:
 * the runtime would follow them when it restores variables or reads assets.
 */
public final class SavedModelFolder {
    public static final String GRAPH_FILE = "saved_model.pb";
    public static final String VARIABLES_DIR = "variables";
    public static final String SERVE_TAG = "serve";

    private final Path dir;
    private final SavedModel proto;

    private SavedModelFolder(Path dir, SavedModel proto) {
        this.dir = dir;
        this.proto = proto;
    }

    public static SavedModelFolder open(Path dir, SavedModelLimits limits) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException("no SavedModel folder at " + dir
                    + (Files.isSymbolicLink(dir) ? " (it is a symbolic link, which is refused)" : ""));
        }
        Path graphFile = dir.resolve(GRAPH_FILE);
        if (!Files.isRegularFile(graphFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new ModelFormatException(dir + " holds no " + GRAPH_FILE
                    + (Files.exists(dir.resolve("saved_model.pbtxt")) ? " (text SavedModels are not supported)" : ""));
        }
        checkFiles(dir, limits);
        try {
            return new SavedModelFolder(dir, SavedModel.parseFrom(Files.readAllBytes(graphFile)));
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFormatException(graphFile + " is not a SavedModel protobuf: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelFormatException("cannot read " + graphFile + ": " + e.getMessage(), e);
        }
    }

    private static void checkFiles(Path dir, SavedModelLimits limits) {
        long[] totals = new long[2];
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    count(d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    count(f);
                    String where = dir.relativize(f).toString();
                    if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
                        throw new ModelFormatException("SavedModel " + dir + ": '" + where
                                + "' is a symbolic link or special file, which is refused");
                    }
                    long limit = limitFor(dir.relativize(f), limits);
                    if (attrs.size() > limit) {
                        throw new ModelFormatException("SavedModel " + dir + ": '" + where + "' is " + attrs.size()
                                + " bytes, over the limit of " + limit);
                    }
                    totals[0] += attrs.size();
                    if (totals[0] > limits.maxTotalBytes()) {
                        throw new ModelFormatException("SavedModel " + dir + " exceeds " + limits.maxTotalBytes()
                                + " bytes in total");
                    }
                    return FileVisitResult.CONTINUE;
                }

                private void count(Path p) {
                    if (++totals[1] > limits.maxFiles()) {
                        throw new ModelFormatException("SavedModel " + dir + " has more than " + limits.maxFiles()
                                + " files and folders");
                    }
                }
            });
        } catch (IOException e) {
            throw new ModelFormatException("cannot list SavedModel " + dir + ": " + e.getMessage(), e);
        }
    }

    private static long limitFor(Path relative, SavedModelLimits limits) {
        if (relative.getNameCount() == 1 && relative.toString().equals(GRAPH_FILE)) {
            return limits.maxGraphBytes();
        }
        if (relative.getNameCount() == 2 && relative.getName(0).toString().equals(VARIABLES_DIR)) {
            return limits.maxVariableFileBytes();
        }
        return limits.maxOtherFileBytes();
    }

    public Path dir() {
        return dir;
    }

    public SavedModel proto() {
        return proto;
    }

    /** The meta graph tagged {@code serve}, the one serving runtimes (and DJL) load. */
    public MetaGraphDef serveGraph() {
        return proto.getMetaGraphsList().stream()
                .filter(m -> m.getMetaInfoDef().getTagsList().contains(SERVE_TAG))
                .findFirst()
                .orElseThrow(() -> new ModelFormatException("SavedModel " + dir + " has no meta graph tagged '"
                        + SERVE_TAG + "' (tags present: " + proto.getMetaGraphsList().stream()
                        .map(m -> m.getMetaInfoDef().getTagsList().toString()).collect(Collectors.joining(", "))
                        + ")"));
    }
}
