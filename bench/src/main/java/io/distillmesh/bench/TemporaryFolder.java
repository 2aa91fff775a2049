package io.distillmesh.bench;

import java.io.IOException;

/** Deletes a run's scratch folder (its broker's log) when closed, so repeated runs do not fill the disk. */
@FunctionalInterface
interface TemporaryFolder extends AutoCloseable {
    @Override
    void close() throws IOException;
}
