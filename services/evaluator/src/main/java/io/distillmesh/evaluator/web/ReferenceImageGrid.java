package io.distillmesh.evaluator.web;

import io.distillmesh.core.data.LabelledImages;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Base64;
import java.util.List;

/**
 * The first {@code perClass} test images of every class, as grey bytes (0 = black, 255 = white) in base64:
 * the real-data reference the dashboard draws next to distilled images, with the same drawing code.
 */
public final class ReferenceImageGrid {
    private ReferenceImageGrid() {
    }

    public static JsonObject of(LabelledImages data, List<String> classNames, int perClass) {
        if (classNames.size() != data.numClasses()) {
            throw new IllegalArgumentException(classNames.size() + " class names for " + data.numClasses() + " classes");
        }
        int[] taken = new int[data.numClasses()];
        JsonArray images = new JsonArray();
        for (int id = 0; id < data.size() && images.size() < perClass * data.numClasses(); id++) {
            int label = data.labels()[id];
            if (taken[label] < perClass) {
                taken[label]++;
                images.add(new JsonObject().put("label", label).put("sampleId", id).put("pixels", grey(data.image(id))));
            }
        }
        return new JsonObject().put("source", data.name()).put("rows", data.images().rows())
                .put("cols", data.images().cols()).put("perClass", perClass).put("classes", new JsonArray(classNames))
                .put("images", images);
    }

    static String grey(float[] pixels) {
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i] = (byte) Math.round(Math.max(0f, Math.min(1f, pixels[i])) * 255f);
        }
        return Base64.getEncoder().encodeToString(bytes);
    }
}
