package io.prunestream.pipeline.stage;

/**
 * Where stages send records. Implementations return only once the broker has acknowledged the
 * record: a stage marks its work done after its outputs are safe, never before.
 */
@FunctionalInterface
public interface RecordSink {
    void send(Outgoing record);
}
