package io.distillmesh.core.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.distillmesh.core.distill.InitSpec;

/**
 * The JSON form of an {@link InitSpec}, version 1:
 * <pre>
 * {"format":"distill-mesh/init-spec","version":1,
 *  "network":{"architecture":"CNN","hidden":[120,84],"channels":[6,16],"numClasses":10,"learningRate":0.001},
 *  "mode":"FIXED","seed":42,"modelsPerIteration":1,"pretrained":[],"dataType":"FLOAT"}
 * </pre>
 * Reading is strict: every field is required and has its JSON type (no strings for numbers, no fractions for
 * integers, no nulls), duplicate fields and text after the object are refused, and an error names the field.
 * Fields this version does not know are ignored.
 */
public final class InitSpecJson {
    public static final String FORMAT = "distill-mesh/init-spec";
    public static final int VERSION = 1;

    private static final JsonMapper MAPPER = StrictJson.MAPPER;

    private InitSpecJson() {
    }

    public static String write(InitSpec spec) {
        try {
            return MAPPER.writeValueAsString(InitSpecDocument.of(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write init spec " + spec.describe(), e);
        }
    }

    public static InitSpec read(String json) {
        JsonNode root = tree(json);
        requireFormatAndVersion(root);
        try {
            return MAPPER.treeToValue(root, InitSpecDocument.class).toSpec();
        } catch (JsonMappingException e) {
            throw InitSpecFieldError.of(root, e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("init spec is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException("init spec is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
    }

    private static void requireFormatAndVersion(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("init spec must be a JSON object");
        }
        JsonNode format = root.path("format");
        if (!format.isTextual() || !FORMAT.equals(format.textValue())) {
            throw new IllegalArgumentException("not an init spec: format is " + format + ", expected " + FORMAT);
        }
        JsonNode version = root.path("version");
        if (!version.isIntegralNumber()) {
            throw new IllegalArgumentException("init spec field 'version' must be an integer, got " + version);
        }
        if (!version.canConvertToInt() || version.intValue() != VERSION) {
            throw new IllegalArgumentException("unknown init spec version " + version + " (this reader knows "
                    + VERSION + ")");
        }
    }
}
