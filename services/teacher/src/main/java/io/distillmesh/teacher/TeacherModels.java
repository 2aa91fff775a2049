package io.distillmesh.teacher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The teacher models runs may name: files in models.dir, each loaded once and shared by the runs that name it. */
final class TeacherModels {
    private final Path dir;
    private final Map<String, TeacherNetwork> loaded = new ConcurrentHashMap<>();

    TeacherModels(Path dir) {
        this.dir = dir;
    }

    /** Blocking the first time a name is asked for. */
    TeacherNetwork get(String name) {
        return loaded.computeIfAbsent(name, n -> TeacherNetwork.load(dir, n));
    }

    List<String> loadedNames() {
        return loaded.keySet().stream().sorted().toList();
    }
}
