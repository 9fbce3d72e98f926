package io.prunestream.tf.savedmodel;

/** Parsing of main-graph tensor references: {@code node}, {@code node:1} and control inputs {@code ^node}. */
public final class TensorNames {
    private TensorNames() {}

    public static String node(String ref) {
        String s = ref.startsWith("^") ? ref.substring(1) : ref;
        int colon = s.indexOf(':');
        return colon < 0 ? s : s.substring(0, colon);
    }

    public static int index(String ref) {
        int colon = ref.indexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(ref.substring(colon + 1));
    }

    public static boolean isControl(String ref) {
        return ref.startsWith("^");
    }
}
