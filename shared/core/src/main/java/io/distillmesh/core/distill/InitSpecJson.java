package io.distillmesh.core.distill;

import io.distillmesh.core.model.ModelSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON form of an {@link InitSpec}, version 1:
 * <pre>
 * {"format":"distill-mesh/init-spec","version":1,
 *  "network":{"architecture":"CNN","hidden":[120,84],"channels":[6,16],"numClasses":10,"learningRate":0.001},
 *  "mode":"FIXED","seed":42,"modelsPerIteration":1,"pretrained":[],"dataType":"FLOAT"}
 * </pre>
 * The network's seed is the spec's seed and its dropout is always 0, so neither is written.
 */
public final class InitSpecJson {
    public static final String FORMAT = "distill-mesh/init-spec";
    public static final int VERSION = 1;

    private InitSpecJson() {
    }

    public static String write(InitSpec spec) {
        ModelSpec n = spec.network();
        return "{\"format\":" + MiniJson.quote(FORMAT) + ",\"version\":" + VERSION
                + ",\"network\":{\"architecture\":" + MiniJson.quote(n.architecture().name())
                + ",\"hidden\":" + ints(n.hidden()) + ",\"channels\":" + ints(n.channels())
                + ",\"numClasses\":" + n.numClasses() + ",\"learningRate\":" + n.learningRate() + "}"
                + ",\"mode\":" + MiniJson.quote(spec.mode().name()) + ",\"seed\":" + spec.seed()
                + ",\"modelsPerIteration\":" + spec.modelsPerIteration()
                + ",\"pretrained\":[" + spec.pretrained().stream().map(MiniJson::quote).collect(Collectors.joining(","))
                + "],\"dataType\":" + MiniJson.quote(spec.dataType()) + "}";
    }

    public static InitSpec read(String json) {
        try {
            return parse(json);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("init spec holds a number that is not an integer in range: " + e.getMessage());
        }
    }

    private static InitSpec parse(String json) {
        if (!(MiniJson.parse(json) instanceof Map<?, ?> root)) {
            throw new IllegalArgumentException("init spec must be a JSON object");
        }
        if (!FORMAT.equals(root.get("format"))) {
            throw new IllegalArgumentException("not an init spec: format is " + root.get("format") + ", expected " + FORMAT);
        }
        int version = number(root, "version").intValueExact();
        if (version != VERSION) {
            throw new IllegalArgumentException("unknown init spec version " + version + " (this reader knows " + VERSION + ")");
        }
        if (!(root.get("network") instanceof Map<?, ?> net)) {
            throw new IllegalArgumentException("init spec has no network object");
        }
        ModelSpec.Architecture architecture;
        try {
            architecture = ModelSpec.Architecture.valueOf(string(net, "architecture"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown architecture '" + net.get("architecture") + "', known: "
                    + Arrays.toString(ModelSpec.Architecture.values()));
        }
        long seed = number(root, "seed").longValueExact();
        ModelSpec network = new ModelSpec(architecture, intArray(net, "hidden"), intArray(net, "channels"), 0,
                number(net, "learningRate").doubleValue(), seed, number(net, "numClasses").intValueExact());
        List<String> pretrained = new ArrayList<>();
        if (!(root.get("pretrained") instanceof List<?> refs)) {
            throw new IllegalArgumentException("init spec field 'pretrained' must be an array");
        }
        for (Object r : refs) {
            if (!(r instanceof String s)) {
                throw new IllegalArgumentException("pretrained references must be strings, got " + r);
            }
            pretrained.add(s);
        }
        return new InitSpec(network, InitMode.parse(string(root, "mode")), seed,
                number(root, "modelsPerIteration").intValueExact(), pretrained, string(root, "dataType"));
    }

    private static String ints(int[] values) {
        return Arrays.stream(values).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    private static BigDecimal number(Map<?, ?> obj, String field) {
        if (!(obj.get(field) instanceof BigDecimal d)) {
            throw new IllegalArgumentException("init spec field '" + field + "' must be a number, got " + obj.get(field));
        }
        return d;
    }

    private static String string(Map<?, ?> obj, String field) {
        if (!(obj.get(field) instanceof String s)) {
            throw new IllegalArgumentException("init spec field '" + field + "' must be a string, got " + obj.get(field));
        }
        return s;
    }

    private static int[] intArray(Map<?, ?> obj, String field) {
        if (!(obj.get(field) instanceof List<?> list)) {
            throw new IllegalArgumentException("init spec field '" + field + "' must be an array");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof BigDecimal d)) {
                throw new IllegalArgumentException("init spec field '" + field + "' must hold integers");
            }
            out[i] = d.intValueExact();
        }
        return out;
    }
}
