package io.distillmesh.k8s.invariants;

import io.distillmesh.student.StudentSettings;
import io.vertx.core.json.JsonObject;

import java.util.Set;
import java.util.TreeSet;

/**
 * Which student.* keys of a student's configuration its spec reads (StudentSettings.specFrom): a key is read when
 * another value for it changes the spec or makes specFrom refuse the configuration. A specialist reads
 * student.specialist-classes and student.generalist but not student.hidden (it has the generalist's network); a
 * resnet student reads student.blocks, a plain one does not.
 */
final class StudentSpecKeys {
    private StudentSpecKeys() {
    }

    static boolean isSpecKey(String key) {
        return key.startsWith("student.");
    }

    /** The spec keys conf sets that its spec reads; throws as specFrom does where conf itself is refused. */
    static Set<String> read(JsonObject conf) {
        String spec = StudentSettings.specFrom(conf).toJson().encode();
        Set<String> read = new TreeSet<>();
        for (String key : conf.fieldNames()) {
            if (isSpecKey(key) && !spec.equals(specWith(conf, key))) {
                read.add(key);
            }
        }
        return read;
    }

    /** The spec with another value for key, or null where that value is refused. */
    private static String specWith(JsonObject conf, String key) {
        JsonObject changed = conf.copy().put(key, conf.getValue(key) + "1");
        try {
            return StudentSettings.specFrom(changed).toJson().encode();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
