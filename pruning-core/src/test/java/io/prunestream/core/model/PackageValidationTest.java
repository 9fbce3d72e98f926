package io.prunestream.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prunestream.core.zoo.ModelZoo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each way a package can be broken is refused on load with a message naming the node or file. */
class PackageValidationTest {
    @TempDir
    Path dir;
    Path pkgDir;
    ModelPackage lenet;

    @BeforeEach
    void saveValidPackage() {
        lenet = ModelZoo.create("lenet", 5);
        pkgDir = dir.resolve("lenet");
        PackageIO.save(lenet, pkgDir);
    }

    @Test
    void validPackageRoundTripsFolderAndZip() {
        ModelPackage loaded = PackageIO.load(pkgDir);
        assertEquals(ModelJson.write(lenet.spec()), ModelJson.write(loaded.spec()));
        assertEquals(lenet.weights(), loaded.weights());
        Path zip = dir.resolve("lenet.zip");
        PackageIO.saveZip(lenet, zip);
        assertEquals(lenet.weights(), PackageIO.load(zip).weights());
    }

    @Test
    void unknownOpIsNamed() throws IOException {
        editJson(j -> j.replace("\"op\" : \"relu\"", "\"op\" : \"swish\""));
        assertRejected("node 'relu1': unknown op 'swish'");
    }

    @Test
    void danglingInputIsNamed() throws IOException {
        editJson(j -> j.replaceFirst("\"inputs\" : \\[ \"conv2\" \\]", "\"inputs\" : [ \"conv9\" ]"));
        assertRejected("reads 'conv9', which does not exist");
    }

    @Test
    void cycleIsNamed() throws IOException {
        // conv1 reads the last ReLU, closing a loop through the whole network.
        editJson(j -> j.replaceFirst("\"inputs\" : \\[ \"input\" \\]", "\"inputs\" : [ \"relu2\" ]"));
        assertRejected("cycle through node 'conv1'");
    }

    @Test
    void weightShapeThatDisagreesWithSpecIsNamed() throws IOException {
        editJson(j -> j.replace("\"out_features\" : 120", "\"out_features\" : 100"));
        assertRejected("node 'fc1': weight 'fc1.weight' has shape [120, 400] but the spec implies [100, 400]");
    }

    @Test
    void nonFiniteWeightsAreNamed() {
        Map<String, Tensor> w = lenet.copyWeights();
        w.get("conv2.weight").data()[7] = Float.NaN;
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> new ModelPackage(lenet.spec(), w));
        assertTrue(e.getMessage().contains("node 'conv2': weight 'conv2.weight' holds NaN"), e.getMessage());
        w.get("conv2.weight").data()[7] = Float.POSITIVE_INFINITY;
        Files.exists(pkgDir);
        Path bad = dir.resolve("inf");
        // Write through the raw encoder so the file itself holds the infinity.
        writePackageFiles(bad, ModelJson.write(lenet.spec()), PackageIO.encodeWeights(w));
        ModelFormatException fromDisk = assertThrows(ModelFormatException.class, () -> PackageIO.load(bad));
        assertTrue(fromDisk.getMessage().contains("holds Infinity"), fromDisk.getMessage());
    }

    @Test
    void truncatedWeightsFileIsReported() throws IOException {
        Path weights = pkgDir.resolve(PackageIO.WEIGHTS_FILE);
        byte[] all = Files.readAllBytes(weights);
        Files.write(weights, Arrays.copyOf(all, all.length - 100));
        assertRejected("weights.safetensors is truncated");
        Files.write(weights, Arrays.copyOf(all, 5));
        assertRejected("weights.safetensors is truncated");
    }

    @Test
    void truncatedModelJsonIsReported() throws IOException {
        Path json = pkgDir.resolve(PackageIO.SPEC_FILE);
        String text = Files.readString(json);
        Files.writeString(json, text.substring(0, text.length() / 2));
        assertRejected("model.json is not valid JSON (truncated?)");
    }

    @Test
    void missingFileAndUnknownVersionAreReported() throws IOException {
        editJson(j -> j.replace("\"formatVersion\" : 1", "\"formatVersion\" : 9"));
        assertRejected("unsupported formatVersion 9");
        Files.delete(pkgDir.resolve(PackageIO.WEIGHTS_FILE));
        assertRejected("package file missing");
    }

    @Test
    void extraTensorIsNamed() {
        Map<String, Tensor> w = lenet.copyWeights();
        w.put("ghost.weight", Tensor.zeros(3));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> new ModelPackage(lenet.spec(), w));
        assertTrue(e.getMessage().contains("'ghost.weight' belongs to no node"), e.getMessage());
    }

    private void editJson(UnaryOperator<String> edit) throws IOException {
        Path json = pkgDir.resolve(PackageIO.SPEC_FILE);
        String before = Files.readString(json);
        String after = edit.apply(before);
        assertTrue(!before.equals(after), "the edit must change model.json");
        Files.writeString(json, after);
    }

    @Test
    void zipEntriesThatWouldLeaveTheUnpackFolderAreRefused() throws IOException {
        for (String hostile : new String[] {"../model.json", "a/../../x", "/etc/cron.d/x", "..\\..\\x", "C:/x"}) {
            Path zip = dir.resolve("hostile.zip");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                out.putNextEntry(new ZipEntry(hostile));
                out.write("{}".getBytes(StandardCharsets.UTF_8));
            }
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> PackageIO.load(zip), hostile);
            assertTrue(e.getMessage().contains("archive entry '" + hostile + "' is refused"), e.getMessage());
        }
    }

    @Test
    void zipEntriesInSubfoldersAreNotMistakenForClimbing() {
        PackageIO.requireSafeEntryName(dir, "docs/readme..txt");
        PackageIO.requireSafeEntryName(dir, "model.json");
    }

    private void assertRejected(String expected) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> PackageIO.load(pkgDir));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    private static void writePackageFiles(Path target, String json, byte[] weights) {
        try {
            Files.createDirectories(target);
            Files.writeString(target.resolve(PackageIO.SPEC_FILE), json, StandardCharsets.UTF_8);
            Files.write(target.resolve(PackageIO.WEIGHTS_FILE), weights);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
