package io.strimzi.crdgenerator.annotations;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The annotation Strimzi's model classes carry on properties that exist only in some API versions
 * (for example {@code spec.kafka.replicas}: "v1beta2", gone in v1). It belongs to Strimzi's crd-generator,
 * which is not published to Maven Central, so without this declaration reflection silently drops it.
 * Same name, element and retention as Strimzi's; read by {@code io.distillmesh.k8s.model.ApiVersionFields}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.TYPE})
public @interface PresentInVersions {
    String value();
}
