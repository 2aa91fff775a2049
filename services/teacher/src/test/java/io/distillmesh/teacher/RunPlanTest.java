package io.distillmesh.teacher;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's plan covers every position of every epoch once and ends with the end; work items survive the wire. */
class RunPlanTest {
    @Test
    void everyPositionOfEveryEpochIsInExactlyOnePieceAndTheEndComesLast() {
        RunPlan plan = new RunPlan(1000, 3, 128, 8);
        List<WorkItem> items = plan.items();
        int[][] covered = new int[3][1000];
        for (WorkItem item : items.subList(0, items.size() - 1)) {
            for (int p = item.from(); p < item.to(); p++) {
                covered[item.epoch()][p]++;
            }
        }
        for (int[] epoch : covered) {
            for (int count : epoch) {
                assertEquals(1, count);
            }
        }
        assertTrue(items.get(items.size() - 1).isEnd());
        assertEquals(3 * 8 + 1, items.size(), "8 pieces per epoch (the last one 1000 - 896 = 104), then the end");
        assertEquals(104, items.get(7).samples());
        assertEquals(3000, plan.total());
        assertEquals(0, plan.partitionOf(8));
        assertEquals(7, plan.partitionOf(23));
    }

    @Test
    void workItemsRoundTripAndBadBytesAreRefusedWithTheReason() {
        for (WorkItem item : List.of(new WorkItem(2, 256, 384), WorkItem.END)) {
            assertEquals(item, WorkItem.decode(item.encode()));
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkItem.decode(new byte[3])).getMessage()
                .contains("13 bytes, got 3"));
        byte[] wrongFormat = new WorkItem(0, 0, 1).encode();
        wrongFormat[0] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkItem.decode(wrongFormat)).getMessage()
                .contains("format 9"));
        assertThrows(IllegalArgumentException.class, () -> new WorkItem(0, 5, 5));
        assertThrows(IllegalArgumentException.class, () -> new WorkItem(-2, 0, 1));
    }
}
