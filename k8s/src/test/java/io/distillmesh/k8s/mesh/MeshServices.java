package io.distillmesh.k8s.mesh;

import io.distillmesh.distiller.DistillerSettings;
import io.distillmesh.distiller.DistillerVerticle;
import io.distillmesh.evaluator.EvaluatorVerticle;
import io.distillmesh.messaging.kafka.KafkaSettings;
import io.distillmesh.student.StudentSettings;
import io.distillmesh.student.StudentVerticle;
import io.distillmesh.teacher.TeacherSettings;
import io.distillmesh.teacher.TeacherVerticle;

import java.util.List;
import java.util.Optional;

/**
 * The services that have a deployable module, with their declared configuration read from the code.
 * A new service is added here with its DEFAULTS; ImageRule fails until it is.
 */
public final class MeshServices {
    /** The image registry and prefix of every mesh image: ghcr.io/distill-mesh/SERVICE. */
    public static final String IMAGE_PREFIX = "ghcr.io/distill-mesh/";
    /** The only service that may ask for a GPU (nvidia.com/gpu). */
    public static final String GPU_SERVICE = "distiller";
    /** The tag suffix of the GPU service's CUDA image (its pom's profile cuda): a GPU container runs it, no other. */
    public static final String CUDA_TAG_SUFFIX = "-cuda11.6";

    private static final List<MeshService> ALL = List.of(
            new MeshService("teacher", TeacherVerticle.DEFAULTS, conf -> {
                KafkaSettings.fromConfig(conf);
                TeacherSettings.fromConfig(conf);
            }),
            new MeshService("student", StudentVerticle.DEFAULTS, conf -> {
                KafkaSettings.fromConfig(conf);
                StudentSettings.fromConfig(conf);
            }),
            new MeshService("evaluator", EvaluatorVerticle.DEFAULTS, KafkaSettings::fromConfig),
            new MeshService("distiller", DistillerVerticle.DEFAULTS, conf -> {
                KafkaSettings.fromConfig(conf);
                DistillerSettings.fromConfig(conf);
            }));

    private MeshServices() {
    }

    public static List<MeshService> all() {
        return ALL;
    }

    public static Optional<MeshService> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The service an image runs ("ghcr.io/distill-mesh/teacher:1.0" gives "teacher"), if it is a mesh image. */
    public static Optional<String> serviceOfImage(String imageName) {
        return imageName.startsWith(IMAGE_PREFIX) ? Optional.of(imageName.substring(IMAGE_PREFIX.length()))
                : Optional.empty();
    }
}
