package io.distillmesh.k8s.kustomize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Map;

/** kustomize's images transformer: every containers[]/initContainers[] image with the given name, anywhere. */
final class ImageTransformer {
    private ImageTransformer() {
    }

    static void apply(JsonNode node, Kustomization.Image image) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                boolean containerList = field.getKey().equals("containers") || field.getKey().equals("initContainers");
                if (containerList && field.getValue().isArray()) {
                    field.getValue().forEach(c -> retag(c, image));
                }
                apply(field.getValue(), image);
            }
        } else if (node.isArray()) {
            node.forEach(child -> apply(child, image));
        }
    }

    private static void retag(JsonNode container, Kustomization.Image image) {
        if (!container.isObject() || !container.path("image").isTextual()) {
            return;
        }
        ImageRef ref = ImageRef.parse(container.get("image").asText());
        if (!ref.name().equals(image.name())) {
            return;
        }
        String name = image.newName() != null ? image.newName() : ref.name();
        String tag = image.digest() != null ? null : image.newTag() != null ? image.newTag() : ref.tag();
        String digest = image.digest() != null ? image.digest() : image.newTag() != null ? null : ref.digest();
        ((ObjectNode) container).put("image", new ImageRef(name, tag, digest).toString());
    }
}
