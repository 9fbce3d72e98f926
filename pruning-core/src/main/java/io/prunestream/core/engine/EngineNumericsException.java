package io.prunestream.core.engine;

/** The engine computes wrong numbers on this machine and no configuration available in-process fixes it. */
public final class EngineNumericsException extends IllegalStateException {
    public EngineNumericsException(String message) {
        super(message);
    }
}
