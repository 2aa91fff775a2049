package io.distillmesh.messaging.records;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {
    private static final String SHA = "f900b044c90517d68a68ad041dbee7bb91f1fe1f8bae6fd4e885aa29b1a8f50c";

    @Test
    void aDistilledSetRecordWithoutItsSha256IsRefused() {
        byte[] record = new DistilledSetRecord("job-1", "/a.dmds", SHA, null, "classification", 1, 1, 3, 4, 0.7,
                new double[] {0.02}, new JsonObject()).encode();
        String json = new String(record, java.nio.charset.StandardCharsets.UTF_8);
        RecordFormatException e = org.junit.jupiter.api.Assertions.assertThrows(RecordFormatException.class,
                () -> DistilledSetRecord.decode(json.replace("\"sha256\":\"" + SHA + "\",", "").getBytes(
                        java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }

    @Test
    void distilledSetRecordRoundTrips() {
        DistilledSetRecord record = new DistilledSetRecord("job-1", "/artifacts/job-1.dmds", SHA, "/artifacts/job-1.png",
                "classification", 1, 1, 3, 400, 0.71, new double[] {0.02, 0.015, 0.01},
                new JsonObject().put("network", "lenet"));
        DistilledSetRecord back = DistilledSetRecord.decode(record.encode());
        assertEquals("job-1", back.jobId());
        assertEquals("/artifacts/job-1.dmds", back.artifactPath());
        assertEquals(SHA, back.sha256());
        assertEquals(3, back.epochs());
        assertEquals(0.71, back.finalMetaLoss());
        assertArrayEquals(new double[] {0.02, 0.015, 0.01}, back.stepSizes());
        assertEquals("lenet", back.spec().getString("network"));
    }

    @Test
    void progressRecordRoundTripsWithMissingNumbers() {
        DistillProgressRecord record = new DistillProgressRecord("job-2", "FAILED", 7, 100, Double.NaN,
                new double[0], Double.NaN, "out of memory");
        DistillProgressRecord back = DistillProgressRecord.decode(record.encode());
        assertEquals("FAILED", back.state());
        assertEquals(7, back.iteration());
        assertTrue(Double.isNaN(back.metaLoss()));
        assertTrue(Double.isNaN(back.etaSeconds()));
        assertEquals("out of memory", back.error());
    }

    @Test
    void malformedRecordsAreNamed() {
        RecordFormatException notJson = assertThrows(RecordFormatException.class,
                () -> DistilledSetRecord.decode("{not json".getBytes(StandardCharsets.UTF_8)));
        assertTrue(notJson.getMessage().contains("distilled-set record is not JSON"), notJson.getMessage());
        RecordFormatException version = assertThrows(RecordFormatException.class,
                () -> DistillProgressRecord.decode("{\"v\":9,\"jobId\":\"a\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(version.getMessage().contains("version 9"), version.getMessage());
        RecordFormatException missing = assertThrows(RecordFormatException.class,
                () -> DistilledSetRecord.decode("{\"v\":2,\"objective\":\"x\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(missing.getMessage().contains("jobId"), missing.getMessage());
    }
}
