package io.distillmesh.k8s.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Jackson mapper that reads manifests into the typed models and refuses what the API server would.
 * fabric8's and Strimzi's model classes keep unknown fields in an {@code additionalProperties} map (a
 * {@code @JsonAnySetter}), so FAIL_ON_UNKNOWN_PROPERTIES alone changes nothing: this mapper removes every
 * any-setter, after which an unknown field is an error naming its path. It also refuses scalars of the
 * wrong type (an int where a string belongs, such as an env value or ConfigMap data, or a string where an
 * int belongs) and duplicate keys.
 */
public final class StrictMapper {
    private static final ObjectMapper MAPPER = create();
    private static final ObjectMapper SERIALISER = MAPPER.copy().setAnnotationIntrospector(new KeepDefaults());

    private StrictMapper() {
    }

    public static ObjectMapper get() {
        return MAPPER;
    }

    /**
     * Writes a parsed model back as a tree with every non-null property, defaults included: the model
     * classes leave out values equal to their defaults (deleteClaim: false, patternType: literal), which
     * would otherwise look like dropped fields.
     */
    public static ObjectMapper serialiser() {
        return SERIALISER;
    }

    private static ObjectMapper create() {
        YAMLFactory yaml = YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
        ObjectMapper mapper = YAMLMapper.builder(yaml)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .serializationInclusion(JsonInclude.Include.NON_NULL)
                .addModule(new SimpleModule("strict-manifests").setDeserializerModifier(new NoAnySetter()))
                .build();
        for (CoercionInputShape shape : new CoercionInputShape[]{
                CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean}) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }

    private static final class KeepDefaults extends JacksonAnnotationIntrospector {
        @Override
        public JsonInclude.Value findPropertyInclusion(Annotated a) {
            return JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL);
        }
    }

    /** Unknown properties go to an any-setter when a class has one; without it they fail. */
    private static final class NoAnySetter extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                                                     BeanDeserializerBuilder builder) {
            builder.setAnySetter(null);
            builder.setIgnoreUnknownProperties(false);
            return builder;
        }
    }
}
