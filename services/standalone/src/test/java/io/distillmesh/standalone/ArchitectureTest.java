package io.distillmesh.standalone;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shape of the house, checked on the compiled main classes of every module (the all-in-one's test classpath
 * holds them all): core knows no Vert.x, Kafka, messaging or service; messaging knows no service; the services
 * teacher, student, distiller and evaluator meet only on streams, never by using each other's classes; the engine
 * knows no algorithm and the algorithm no file format. Only the all-in-one assembles services.
 */
class ArchitectureTest {
    private static final List<String> SERVICES = List.of("teacher", "student", "distiller", "evaluator");
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.distillmesh");

    @Test
    void theClassesOfEveryModuleAreImported() {
        List<String> packages = Stream.concat(Stream.of("core.engine", "core.distill", "core.condense", "core.artifact", "core.fsp",
                        "core.specialist", "core.train", "messaging", "standalone"), SERVICES.stream())
                .map(name -> "io.distillmesh." + name).toList();
        for (String name : packages) {
            assertTrue(CLASSES.containPackage(name), "no compiled classes of " + name + " on the classpath");
        }
    }

    @Test
    void coreKnowsNoVertxKafkaMessagingOrService() {
        noClasses().that().resideInAPackage("io.distillmesh.core..")
                .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(
                        Stream.of("io.vertx..", "org.apache.kafka..", "io.distillmesh.messaging..",
                                "io.distillmesh.standalone.."), servicePackages(SERVICES)).toArray(String[]::new))
                .because("core is the science, tested without a broker or a service")
                .check(CLASSES);
    }

    @Test
    void messagingKnowsNoService() {
        noClasses().that().resideInAPackage("io.distillmesh.messaging..")
                .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(
                        Stream.of("io.distillmesh.standalone.."), servicePackages(SERVICES)).toArray(String[]::new))
                .because("the streams' records and settings are shared by every service")
                .check(CLASSES);
    }

    @ParameterizedTest
    @MethodSource("services")
    void aServiceUsesNoOtherService(String service) {
        List<String> others = SERVICES.stream().filter(other -> !other.equals(service)).toList();
        noClasses().that().resideInAPackage("io.distillmesh." + service + "..")
                .should().dependOnClassesThat().resideInAnyPackage(Stream.concat(
                        Stream.of("io.distillmesh.standalone.."), servicePackages(others)).toArray(String[]::new))
                .because("services meet only on streams")
                .check(CLASSES);
    }

    @Test
    void theEngineKnowsNoAlgorithmAndNoFileFormat() {
        noClasses().that().resideInAPackage("io.distillmesh.core.engine..")
                .should().dependOnClassesThat().resideInAnyPackage("io.distillmesh.core.distill..",
                        "io.distillmesh.core.condense..", "io.distillmesh.core.fsp..", "io.distillmesh.core.specialist..", "io.distillmesh.core.train..",
                        "io.distillmesh.core.artifact..")
                .because("the algorithms use the engine, never the other way round")
                .check(CLASSES);
    }

    @Test
    void theDistillationAndCondensationAlgorithmsKnowNoFileFormat() {
        noClasses().that().resideInAnyPackage("io.distillmesh.core.distill..", "io.distillmesh.core.condense..")
                .should().dependOnClassesThat().resideInAPackage("io.distillmesh.core.artifact..")
                .because("the artifact format reads and writes the algorithm's results, not the other way round")
                .check(CLASSES);
    }

    static List<String> services() {
        return SERVICES;
    }

    private static Stream<String> servicePackages(List<String> services) {
        return services.stream().map(name -> "io.distillmesh." + name + "..");
    }
}
