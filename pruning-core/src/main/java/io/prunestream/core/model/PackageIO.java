package io.prunestream.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Saves and loads model packages: a folder (or a zip of one) holding {@code model.json} and
 * {@code weights.safetensors}. Weights go through DJL's own safetensors encoding of an
 * {@link NDList}. Loading validates everything before returning, so a caller never sees a
 * half-loaded model.
 */
public final class PackageIO {
    public static final String SPEC_FILE = "model.json";
    public static final String WEIGHTS_FILE = "weights.safetensors";
    /** Refuse absurd files before reading them into memory. */
    public static final long MAX_WEIGHTS_BYTES = 2L << 30;

    private PackageIO() {}

    public static void save(ModelPackage pkg, Path dir) {
        try {
            Files.createDirectories(dir);
            writeAtomically(dir.resolve(SPEC_FILE), ModelJson.write(pkg.spec()).getBytes(StandardCharsets.UTF_8));
            writeAtomically(dir.resolve(WEIGHTS_FILE), encodeWeights(pkg.weights()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write package to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the package as a zip with the two files at its root. */
    public static void saveZip(ModelPackage pkg, Path zip) {
        try {
            Path tmp = zip.resolveSibling(zip.getFileName() + ".tmp");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp))) {
                out.putNextEntry(new ZipEntry(SPEC_FILE));
                out.write(ModelJson.write(pkg.spec()).getBytes(StandardCharsets.UTF_8));
                out.putNextEntry(new ZipEntry(WEIGHTS_FILE));
                out.write(encodeWeights(pkg.weights()));
            }
            Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + zip + ": " + e.getMessage(), e);
        }
    }

    /** Loads a package folder or zip; every defect is a {@link ModelFormatException} naming what is wrong. */
    public static ModelPackage load(Path path) {
        byte[] specBytes;
        byte[] weightBytes;
        try {
            if (Files.isDirectory(path)) {
                specBytes = readFile(path.resolve(SPEC_FILE));
                weightBytes = readFile(path.resolve(WEIGHTS_FILE));
            } else if (Files.isRegularFile(path)) {
                Map<String, byte[]> entries = readZip(path);
                specBytes = entries.get(SPEC_FILE);
                weightBytes = entries.get(WEIGHTS_FILE);
                if (specBytes == null || weightBytes == null) {
                    throw new ModelFormatException(path + ": a package zip needs " + SPEC_FILE + " and " + WEIGHTS_FILE
                            + " at its root");
                }
            } else {
                throw new ModelFormatException("no model package at " + path);
            }
        } catch (IOException e) {
            throw new ModelFormatException("cannot read package " + path + ": " + e.getMessage(), e);
        }
        ModelSpec spec = ModelJson.read(new String(specBytes, StandardCharsets.UTF_8));
        ModelGraph.of(spec);
        return new ModelPackage(spec, decodeWeights(weightBytes));
    }

    public static byte[] encodeWeights(Map<String, Tensor> weights) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = new NDList();
            for (Map.Entry<String, Tensor> e : weights.entrySet()) {
                NDArray a = manager.create(e.getValue().data(), new Shape(toLong(e.getValue().shape())));
                a.setName(e.getKey());
                list.add(a);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            list.encode(out, NDList.Encoding.SAFETENSORS);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Map<String, Tensor> decodeWeights(byte[] bytes) {
        checkSafetensorsLayout(bytes);
        Map<String, Tensor> weights = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList list = NDList.decode(manager, bytes);
            for (NDArray a : list) {
                if (a.getDataType() != DataType.FLOAT32) {
                    throw new ModelFormatException(WEIGHTS_FILE + ": tensor '" + a.getName() + "' is "
                            + a.getDataType() + ", only float32 is supported");
                }
                long[] s = a.getShape().getShape();
                int[] shape = new int[s.length];
                for (int i = 0; i < s.length; i++) {
                    shape[i] = Math.toIntExact(s[i]);
                }
                weights.put(a.getName(), new Tensor(shape, a.toFloatArray()));
            }
        } catch (ModelFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModelFormatException(WEIGHTS_FILE + " cannot be decoded: " + e.getMessage(), e);
        }
        return weights;
    }

    /**
     * Checks the safetensors header against the file length ourselves: a truncated file must be
     * reported as such, not as whatever the decoder happens to trip over.
     */
    static void checkSafetensorsLayout(byte[] bytes) {
        if (bytes.length < 8) {
            throw new ModelFormatException(WEIGHTS_FILE + " is truncated: " + bytes.length + " bytes, no header");
        }
        long headerLen = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLen <= 0 || headerLen > bytes.length - 8) {
            throw new ModelFormatException(WEIGHTS_FILE + " is truncated or not safetensors: header of " + headerLen
                    + " bytes announced, " + (bytes.length - 8) + " bytes follow");
        }
        JsonNode header;
        try {
            header = new ObjectMapper().readTree(new String(bytes, 8, (int) headerLen, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFormatException(WEIGHTS_FILE + ": header is not valid JSON: " + e.getMessage(), e);
        }
        long end = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode offsets = e.getValue().get("data_offsets");
            if (offsets != null && offsets.size() == 2) {
                end = Math.max(end, offsets.get(1).asLong());
            }
        }
        long available = bytes.length - 8 - headerLen;
        if (available < end) {
            throw new ModelFormatException(WEIGHTS_FILE + " is truncated: tensors need " + end + " bytes of data, "
                    + available + " present");
        }
    }

    private static byte[] readFile(Path file) throws IOException {
        try {
            long size = Files.size(file);
            if (size > MAX_WEIGHTS_BYTES) {
                throw new ModelFormatException(file + " is " + size + " bytes, over the limit of " + MAX_WEIGHTS_BYTES);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException("package file missing: " + file, e);
        }
    }

    private static Map<String, byte[]> readZip(Path zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                String name = e.getName();
                requireSafeEntryName(zip, name);
                if (name.equals(SPEC_FILE) || name.equals(WEIGHTS_FILE)) {
                    entries.put(name, readBounded(in, name));
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new ModelFormatException(zip + " is not a readable zip: " + e.getMessage(), e);
        }
        return entries;
    }

    /**
     * Refuses entries that would land outside the folder a zip is unpacked into ("zip slip"): absolute
     * names, drive letters and {@code ..} components. This reader only keeps the two package files in
     * memory, but a model archive with such an entry is hostile or broken either way, and refusing it
     * here keeps any later unpacking of the same archive safe.
     */
    static void requireSafeEntryName(Path zip, String name) {
        String unified = name.replace('\\', '/');
        boolean absolute = unified.startsWith("/") || unified.matches("^[A-Za-z]:.*");
        boolean climbs = Arrays.asList(unified.split("/")).contains("..");
        if (absolute || climbs || name.indexOf('\0') >= 0) {
            throw new ModelFormatException(zip.getFileName() + ": archive entry '" + name + "' is refused: entries must be"
                    + " relative paths inside the archive, without '..', a leading '/' or a drive letter");
        }
    }

    private static byte[] readBounded(InputStream in, String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > MAX_WEIGHTS_BYTES) {
                throw new ModelFormatException(name + " in zip exceeds " + MAX_WEIGHTS_BYTES + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static long[] toLong(int[] s) {
        long[] l = new long[s.length];
        for (int i = 0; i < s.length; i++) {
            l[i] = s[i];
        }
        return l;
    }
}
