package io.distillmesh.k8s.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The documents of a (multi-document) YAML file as JSON trees; empty documents are skipped. */
public final class YamlDocuments {
    private YamlDocuments() {
    }

    public static List<ObjectNode> read(Path file) {
        try (MappingIterator<JsonNode> docs = StrictMapper.get().readerFor(JsonNode.class).readValues(file.toFile())) {
            List<ObjectNode> out = new ArrayList<>();
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new IllegalArgumentException(file + ": a document is not a mapping: " + doc);
                }
                out.add((ObjectNode) doc);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    public static List<ObjectNode> parse(String yaml) {
        try (MappingIterator<JsonNode> docs = StrictMapper.get().readerFor(JsonNode.class).readValues(yaml)) {
            List<ObjectNode> out = new ArrayList<>();
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && doc.isObject()) {
                    out.add((ObjectNode) doc);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
