package io.prunestream.tf;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads the TensorFlow natives, once, through DJL's TensorFlow engine: it points JavaCPP at
 * {@code TENSORFLOW_LIBRARY_PATH}, after which TF Java's graph, session and SavedModel classes work
 * too. Without the variable DJL would try to download the natives, which offline machines cannot;
 * when it is unset, the folder the build unpacks them to is used if the project root is known
 * ({@code -Dprunestream.home}, which bin/prunectl sets).
 */
public final class TfRuntime {
    public static final String ENGINE = "TensorFlow";
    public static final String LIBRARY_PATH = "TENSORFLOW_LIBRARY_PATH";
    /** Where the tf-bridge build unpacks the natives, relative to the project root. */
    public static final String BUILD_NATIVES = "tf-bridge/target/tf-natives";
    private static final String JNI_LIBRARY = "libjnitensorflow.so";
    static final String HOW_TO = "set " + LIBRARY_PATH + " (environment or -D) to a folder holding "
            + "libtensorflow_cc.so.2, libtensorflow_framework.so.2 and libjnitensorflow.so; building tf-bridge unpacks "
            + "them from org.tensorflow:tensorflow-core-native:1.0.0-rc.1:linux-x86_64 into tf-bridge/target/tf-natives";

    private static boolean loaded;

    private TfRuntime() {}

    /** Makes sure TensorFlow can run in this JVM, or says how to make it so. */
    public static synchronized void ensureLoaded() {
        if (loaded) {
            return;
        }
        String dir = nativesFolder();
        if (dir == null) {
            throw new TfUnavailableException("TensorFlow natives are not configured: " + HOW_TO);
        }
        try {
            Engine.getEngine(ENGINE);
        } catch (RuntimeException | LinkageError e) {
            throw new TfUnavailableException("TensorFlow natives could not be loaded from " + LIBRARY_PATH + "=" + dir
                    + " (" + rootMessage(e) + "): " + HOW_TO, e);
        }
        loaded = true;
    }

    private static String nativesFolder() {
        String dir = Utils.getEnvOrSystemProperty(LIBRARY_PATH);
        if (dir != null && !dir.isBlank()) {
            return dir;
        }
        String home = System.getProperty("prunestream.home");
        if (home != null && Files.isRegularFile(Path.of(home, BUILD_NATIVES, JNI_LIBRARY))) {
            String built = Path.of(home, BUILD_NATIVES).toAbsolutePath().toString();
            // DJL reads the variable as a system property too.
            System.setProperty(LIBRARY_PATH, built);
            return built;
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
