package io.distillmesh.messaging.records;

/** A record value that cannot be decoded: wrong magic, unknown version or type, wrong length, bad numbers. */
public final class RecordFormatException extends RuntimeException {
    public RecordFormatException(String reason) {
        super(reason);
    }
}
