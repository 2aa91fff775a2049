package io.distillmesh.k8s.model.keda;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** Trigger types this project has a metadata schema for; any other type is refused. */
public final class TriggerSchemas {
    private static final Map<String, Class<?>> BY_TYPE = Map.of("kafka", KafkaTriggerMetadata.class);

    private TriggerSchemas() {
    }

    /** The trigger's metadata as its typed schema; unknown keys and bad values throw. */
    public static Object metadataOf(ScaledObject.Trigger trigger, ObjectMapper strict) {
        Class<?> schema = BY_TYPE.get(trigger.type());
        if (schema == null) {
            throw new IllegalArgumentException("no schema for KEDA trigger type '" + trigger.type()
                    + "' (known: " + BY_TYPE.keySet() + "); add one in " + TriggerSchemas.class.getName());
        }
        return strict.convertValue(trigger.metadata(), schema);
    }

    public static KafkaTriggerMetadata kafka(ScaledObject.Trigger trigger, ObjectMapper strict) {
        return (KafkaTriggerMetadata) metadataOf(trigger, strict);
    }
}
