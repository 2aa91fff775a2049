package io.distillmesh.k8s.model;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two guards behind the strict mapper, on their own. */
class ModelChecksTest {
    @Test
    void aFieldMissingAfterTheRoundTripIsReported() {
        List<String> errors = new ArrayList<>();
        DroppedFields.check(tree("{a: 1, b: {c: x, d: [1, 2]}}"), tree("{a: 1, b: {d: [1, 2]}}"), "", errors);
        assertEquals(List.of("b.c: dropped by the typed model"), errors);
    }

    @Test
    void aChangedValueIsReportedAndAddedDefaultsAreNot() {
        List<String> errors = new ArrayList<>();
        DroppedFields.check(tree("{a: '1', b: [x]}"), tree("{a: '2', b: [x], c: true}"), "", errors);
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("a:"), errors.toString());
    }

    @Test
    void apiVersionRangesFollowKubernetesOrder() {
        assertTrue(ApiVersionFields.inRange("v1beta2", "v1beta2"));
        assertFalse(ApiVersionFields.inRange("v1", "v1beta2"));
        assertTrue(ApiVersionFields.inRange("v1", "v1beta2+"));
        assertTrue(ApiVersionFields.inRange("v1beta1", "v1alpha1-v1beta2"));
        assertFalse(ApiVersionFields.inRange("v1", "v1alpha1-v1beta2"));
        assertTrue(ApiVersionFields.compare("v2alpha1", "v1") > 0);
    }

    private static JsonNode tree(String yaml) {
        return YamlDocuments.parse(yaml).get(0);
    }
}
