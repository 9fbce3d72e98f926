package io.prunestream.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The finetune image for GPU nodes is built with {@code -Pgpu} (docs/DEPLOYMENT.md, "GPU image"). No
 * GPU runs here, but the profile must at least resolve and compile, and leave the CPU natives out of
 * what is packaged:
 * a profile naming an artifact Maven Central does not serve once stopped the image at its first step.
 * Offline, since the build running this test has already fetched everything the profile needs.
 */
class GpuProfileBuildTest {
    @TempDir
    Path tmp;

    @Test
    void theGpuProfileResolvesAndCompilesWithoutTheCpuNatives() throws Exception {
        Path root = RepositoryFiles.root();
        Path log = tmp.resolve("mvn.log");
        Path deps = tmp.resolve("deps.txt");
        Process mvn = new ProcessBuilder(List.of(root.resolve("mvnw").toString(), "-B", "-o", "-Pgpu",
                "-pl", "finetune-service", "-am", "compile",
                // Full coordinates: a prefix would need repository metadata, which an offline build may lack.
                "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:list",
                "-DincludeGroupIds=ai.djl.pytorch", "-DoutputFile=" + deps, "-DappendOutput=true"))
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(mvn.waitFor(10, TimeUnit.MINUTES), "the -Pgpu build did not end within 10 minutes");
        String output = Files.readString(log);
        assertEquals(0, mvn.exitValue(), () -> "the -Pgpu build failed:\n" + tail(output));
        // One list per module of the build, in reactor order: finetune-service's is the last.
        String all = Files.readString(deps);
        String listed = all.substring(Math.max(0, all.lastIndexOf("The following files have been resolved")));
        assertTrue(listed.contains("ai.djl.pytorch:pytorch-jni"), "finetune-service's engine jars: " + listed);
        // At test scope they stay (the service's own tests run on this CPU); packaged means compile or runtime.
        assertTrue(listed.lines().noneMatch(l -> l.contains("pytorch-native-cpu")
                && (l.contains(":compile") || l.contains(":runtime"))),
                "the gpu profile still packages the CPU natives: " + listed);
    }

    private static String tail(String text) {
        return text.length() <= 6000 ? text : text.substring(text.length() - 6000);
    }
}
