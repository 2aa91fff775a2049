package io.distillmesh.distiller;

import io.distillmesh.core.data.DataSets;
import org.apache.kafka.clients.producer.Producer;

import java.nio.file.Path;

/**
 * What every job of the service runs with: the data sets, the directory artifacts are written to, the Kafka
 * producer for progress and artifact records, the metrics, and the least time between two progress records.
 */
record JobRunContext(DataSets dataSets, Path artifactsDir, Producer<String, byte[]> producer, DistillerMetrics metrics,
                     long progressIntervalMillis) {
}
