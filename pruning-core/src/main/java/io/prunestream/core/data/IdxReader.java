package io.prunestream.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads unsigned-byte IDX files (the MNIST format), gzipped or not.
 *
 * <p>Compression is detected from the gzip magic bytes rather than the ".gz" suffix, because
 * unpacked copies often keep their old name and vice versa. Every header field is checked and the
 * payload must have exactly the declared length: a silently short file would otherwise surface
 * much later as a shape error or, worse, as a model trained on zeros.
 */
public final class IdxReader {

    /** Magic number of idx3-ubyte: type 0x08 (unsigned byte), 3 dimensions. */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of idx1-ubyte: type 0x08 (unsigned byte), 1 dimension. */
    static final int LABELS_MAGIC = 0x00000801;

    private static final int GZIP_MAGIC_0 = 0x1f;
    private static final int GZIP_MAGIC_1 = 0x8b;
    /** Headroom below Integer.MAX_VALUE that the JVM may refuse for array allocation. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8L;

    private IdxReader() {
    }

    /** Reads an idx3-ubyte image file. */
    public static IdxImages readImages(Path file) throws IOException {
        return read(file, in -> {
            ByteBuffer header = header(in, file, 16, IMAGES_MAGIC, "idx3-ubyte images");
            int count = header.getInt();
            int rows = header.getInt();
            int columns = header.getInt();
            if (count < 0) {
                throw new DatasetException(file, "invalid header, negative image count " + count);
            }
            if (rows <= 0 || columns <= 0) {
                throw new DatasetException(file,
                        "invalid header, image size " + rows + "x" + columns);
            }
            byte[] pixels = payload(in, file, (long) count * rows * columns, "pixels");
            return new IdxImages(count, rows, columns, pixels);
        });
    }

    /** Reads an idx1-ubyte label file; each label is an unsigned byte. */
    public static int[] readLabels(Path file) throws IOException {
        return read(file, in -> {
            ByteBuffer header = header(in, file, 8, LABELS_MAGIC, "idx1-ubyte labels");
            int count = header.getInt();
            if (count < 0) {
                throw new DatasetException(file, "invalid header, negative label count " + count);
            }
            byte[] raw = payload(in, file, count, "labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = Byte.toUnsignedInt(raw[i]);
            }
            return labels;
        });
    }

    private interface Parser<T> {
        T parse(InputStream in) throws IOException;
    }

    /** Opens the file and turns low-level I/O failures into messages that name it. */
    private static <T> T read(Path file, Parser<T> parser) throws IOException {
        try (InputStream in = open(file)) {
            return parser.parse(in);
        } catch (DatasetException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new DatasetException(file, "file not found", e);
        } catch (IOException e) {
            // Typically a damaged or cut gzip stream (ZipException, EOFException).
            throw new DatasetException(file, "cannot read, corrupt or truncated data ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == GZIP_MAGIC_0 && b1 == GZIP_MAGIC_1) {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static ByteBuffer header(InputStream in, Path file, int length, int expectedMagic,
            String kind) throws IOException {
        byte[] bytes = in.readNBytes(length);
        // Magic first: a short file of the wrong kind is better described by its kind than by
        // its length.
        if (bytes.length >= Integer.BYTES) {
            int magic = ByteBuffer.wrap(bytes).getInt(); // IDX is big-endian, as is ByteBuffer
            if (magic != expectedMagic) {
                throw new DatasetException(file, String.format(
                        "bad magic number 0x%08X, expected 0x%08X (%s)", magic, expectedMagic,
                        kind));
            }
        }
        requireLength(file, bytes, length, "header");
        return ByteBuffer.wrap(bytes, Integer.BYTES, length - Integer.BYTES); // past the magic
    }

    private static byte[] payload(InputStream in, Path file, long length, String what)
            throws IOException {
        if (length > MAX_ARRAY) {
            throw new DatasetException(file, "invalid header, " + length + " bytes of " + what
                    + " is more than one array can hold");
        }
        // readNBytes grows its buffer as data arrives, so a lying header cannot make us allocate
        // gigabytes up front.
        byte[] data = in.readNBytes((int) length);
        requireLength(file, data, (int) length, what);
        if (in.read() != -1) {
            throw new DatasetException(file, "unexpected data after the " + length
                    + " bytes of " + what + " declared in the header");
        }
        return data;
    }

    private static void requireLength(Path file, byte[] data, int length, String what)
            throws DatasetException {
        if (data.length < length) {
            throw new DatasetException(file, "truncated, expected " + length + " bytes of " + what
                    + ", found " + data.length);
        }
    }
}
