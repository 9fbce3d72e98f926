package io.prunestream.pipeline;

import io.prunestream.core.model.ModelJson;
import io.prunestream.core.model.ModelPackage;
import io.prunestream.core.model.PackageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Zips whose bytes depend only on the files' names and contents: sorted entries and a fixed
 * timestamp. Without that, zipping the same package twice gives two checksums and idempotent puts
 * would store it twice.
 */
final class DeterministicZip {
    /** The earliest time a zip entry can record, in local time so no time zone leaks in. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private DeterministicZip() {}

    /** A package as {@link PackageIO#load} reads it: the two files at the zip's root. */
    static byte[] ofModel(ModelPackage model) {
        SortedMap<String, byte[]> entries = new TreeMap<>();
        entries.put(PackageIO.SPEC_FILE, ModelJson.write(model.spec()).getBytes(StandardCharsets.UTF_8));
        entries.put(PackageIO.WEIGHTS_FILE, PackageIO.encodeWeights(model.weights()));
        return of(entries);
    }

    /** Every regular file below {@code dir}, by relative '/'-separated path; symbolic links are refused. */
    static byte[] ofFolder(Path folder) {
        SortedMap<String, byte[]> entries = new TreeMap<>();
        Path dir;
        try {
            dir = folder.toRealPath();
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.NOT_FOUND, "cannot read folder " + folder + ": " + e, e);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(file)) {
                    throw new ArtifactException(ArtifactException.Reason.PATH_REJECTED, "folder " + folder
                            + " contains the symbolic link " + file + "; refusing to follow it into the store");
                }
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    entries.put(dir.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
        } catch (IOException e) {
            throw new ArtifactException(ArtifactException.Reason.IO_ERROR, "cannot read folder " + folder + ": " + e, e);
        }
        return of(entries);
    }

    private static byte[] of(SortedMap<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing a zip in memory failed", e);
        }
        return bytes.toByteArray();
    }
}
