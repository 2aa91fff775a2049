package io.distillmesh.k8s.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The documents of a (multi-document) YAML file or text as JSON trees; empty documents are skipped. */
public final class YamlDocuments {
    private YamlDocuments() {
    }

    public static List<ObjectNode> read(Path file) {
        try (MappingIterator<JsonNode> docs = reader().readValues(file.toFile())) {
            return mappings(docs, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    public static List<ObjectNode> parse(String yaml) {
        return parse(yaml, "YAML text");
    }

    /** source names the text in errors (a command's output, say). */
    public static List<ObjectNode> parse(String yaml, String source) {
        try (MappingIterator<JsonNode> docs = reader().readValues(yaml)) {
            return mappings(docs, source);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }

    private static ObjectReader reader() {
        return StrictMapper.get().readerFor(JsonNode.class);
    }

    private static List<ObjectNode> mappings(MappingIterator<JsonNode> docs, String source) throws IOException {
        List<ObjectNode> out = new ArrayList<>();
        while (docs.hasNextValue()) {
            JsonNode doc = docs.nextValue();
            if (doc == null || doc.isNull() || doc.isMissingNode()) {
                continue;
            }
            if (!doc.isObject()) {
                throw new IllegalArgumentException(source + ": a document is not a mapping: " + doc);
            }
            out.add((ObjectNode) doc);
        }
        return out;
    }
}
