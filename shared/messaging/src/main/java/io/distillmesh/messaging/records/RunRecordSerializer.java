package io.distillmesh.messaging.records;

import org.apache.kafka.common.serialization.Serializer;

/** Kafka serializer for {@link RunRecord} values, through {@link RunRecordCodec}. */
public final class RunRecordSerializer implements Serializer<RunRecord> {
    @Override
    public byte[] serialize(String topic, RunRecord data) {
        return data == null ? null : RunRecordCodec.encode(data);
    }
}
