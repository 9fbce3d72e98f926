package io.prunestream.core.data;

/**
 * The content of an idx3-ubyte file: {@code count} images of {@code rows x columns} raw pixels,
 * row-major, one image after the other. The array is freshly read and belongs to the caller.
 */
public record IdxImages(int count, int rows, int columns, byte[] pixels) {

    public IdxImages {
        if (pixels.length != (long) count * rows * columns) {
            throw new IllegalArgumentException("pixels length " + pixels.length
                    + " does not match " + count + " x " + rows + " x " + columns);
        }
    }
}
