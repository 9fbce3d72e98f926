package io.prunestream.pipeline.stage;

import io.prunestream.core.cancel.OperationCancelledException;

/**
 * The service is shutting down while a stage works on a record: the work stops at its next batch and
 * {@link StageRunner#process} throws this instead of answering, so the record is never acknowledged
 * (nor marked done in the ledger) and Kafka hands it to another replica, or to this one after a restart.
 */
public final class ServiceShutdownException extends OperationCancelledException {
    public ServiceShutdownException(String service, String what) {
        super(service + " is shutting down: " + what + " is left unacknowledged for redelivery");
    }
}
