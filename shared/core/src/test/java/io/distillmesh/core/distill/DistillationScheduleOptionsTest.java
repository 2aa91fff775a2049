package io.distillmesh.core.distill;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DistillationScheduleOptionsTest {
    @Command(name = "distil")
    static final class Distil {
        @Mixin
        DistillationScheduleOptions options = new DistillationScheduleOptions(1, 10, 3);
    }

    @Test
    void theCommandsDefaultsHoldUntilAnOptionIsGiven() {
        Distil defaults = new Distil();
        new CommandLine(defaults).parseArgs();
        assertEquals(new DistillationSchedule(1, 10, 3, 10), defaults.options.schedule(10));

        Distil given = new Distil();
        new CommandLine(given).parseArgs("-M", "2", "--steps", "4", "-E", "1");
        assertEquals(new DistillationSchedule(2, 4, 1, 10), given.options.schedule(10));
    }

    @Test
    void theHelpShowsTheCommandsDefaults() {
        String usage = new CommandLine(new Distil()).getUsageMessage().replaceAll("\\s+", " ");
        assertTrue(usage.contains("inner steps per epoch (default: 10)"), usage);
    }
}
