package io.distillmesh.standalone;

import java.io.IOException;
import java.nio.file.Path;

/** A command with a directory of its own, where its log file belongs (the mesh: its work dir). */
interface LoggedCommand {
    Path logFile() throws IOException;
}
