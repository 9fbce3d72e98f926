package io.prunestream.deployment;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether {@code kubectl} (with its built-in kustomize) is on the PATH. */
final class Kubectl {
    private Kubectl() {}

    static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "kubectl"))) {
                return true;
            }
        }
        return false;
    }
}
