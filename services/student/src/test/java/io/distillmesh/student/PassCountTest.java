package io.distillmesh.student;

import io.distillmesh.messaging.records.RunEndRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassCountTest {
    private static final ConsumerRecord<String, byte[]> END = new ConsumerRecord<>("dm.soft-targets.r", 0, 9, "__end__",
            new byte[0]);

    @Test
    void anEndCountingRecordsEndsThePassOnceThatManyRecordsAreRead() {
        PassCount count = new PassCount("r", 0, 0);
        count.add(256);
        count.add(0); // a record that could not be decoded still counts
        assertTrue(count.earlyEnd(END, 3, 600).isPresent(), "2 of 3 records read");
        count.add(88);
        assertFalse(count.earlyEnd(END, 3, 600).isPresent());
    }

    @Test
    void anEndOfTheOneRecordASampleLayoutEndsAStreamOfEitherLayout() {
        PassCount oneASample = new PassCount("r", 0, 0);
        for (int i = 0; i < 299; i++) {
            oneASample.add(1);
        }
        assertTrue(oneASample.earlyEnd(END, RunEndRecord.RECORDS_UNKNOWN, 300).isPresent());
        oneASample.add(0);
        assertFalse(oneASample.earlyEnd(END, RunEndRecord.RECORDS_UNKNOWN, 300).isPresent(), "300 records");

        // pieces written by teachers of both layouts during an upgrade, the end by an old one
        PassCount mixed = new PassCount("r", 0, 0);
        mixed.add(256);
        for (int i = 0; i < 43; i++) {
            mixed.add(1);
        }
        assertTrue(mixed.earlyEnd(END, RunEndRecord.RECORDS_UNKNOWN, 300).isPresent(), "299 samples in 44 records");
        mixed.add(1);
        assertFalse(mixed.earlyEnd(END, RunEndRecord.RECORDS_UNKNOWN, 300).isPresent(), "300 samples");
    }

    @Test
    void aResumedPassCountsFromWhereItsCheckpointWas() {
        PassCount resumed = new PassCount("r", 2, 512);
        resumed.add(88);
        assertFalse(resumed.earlyEnd(END, 3, 600).isPresent());
        assertFalse(resumed.earlyEnd(END, RunEndRecord.RECORDS_UNKNOWN, 600).isPresent());
    }
}
