package io.distillmesh.teacher;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TeacherStartTest {

    @Test
    void theTeacherPrintsTheKafkaBootstrapAddressItUses() throws Exception {
        AtomicReference<TeacherService> teacher = new AtomicReference<>();
        String printed = CapturedOutput.ofStdout(() -> teacher.set(new TeacherService(new JsonObject())));
        try {
            String bootstrap = teacher.get().broker.bootstrapServers();
            assertTrue(printed.lines().anyMatch(l -> l.startsWith("teacher:") && l.contains(bootstrap)
                    && l.contains("kafka.bootstrap.servers")), "no line names " + bootstrap + " in:\n" + printed);
        } finally {
            teacher.get().close();
        }
    }
}
