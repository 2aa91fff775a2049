package io.distillmesh.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Where a service's exposition and the catalog disagree, as one readable line per difference. */
final class CatalogDrift {
    private CatalogDrift() {
    }

    /**
     * For the mesh's own families (dm_*): the service must expose every family catalogued for it, with
     * the catalogued type and label names, and nothing the catalog does not list for it.
     */
    static List<String> meshFamilies(MetricCatalog catalog, String service, Exposition exposition) {
        List<String> problems = new ArrayList<>(catalogued(catalog, service, exposition, MetricCatalog.Entry::isMesh));
        for (Exposition.Family family : exposition.families().values()) {
            if (!family.name().startsWith("dm_")) {
                continue;
            }
            MetricCatalog.Entry entry = catalog.get(family.name());
            if (entry == null) {
                problems.add(service + " exposes " + family.name() + " (" + family.type() + ", labels "
                        + family.labels() + "), which docs/METRICS.md does not list");
            } else if (!entry.sources().contains(service)) {
                problems.add(service + " exposes " + family.name() + ", which docs/METRICS.md lists for "
                        + entry.sources() + " only");
            }
        }
        return problems;
    }

    /** Every catalogued family that passes {@code which} and is emitted by the service is exposed, as catalogued. */
    static List<String> catalogued(MetricCatalog catalog, String service, Exposition exposition,
                                   Predicate<MetricCatalog.Entry> which) {
        List<String> problems = new ArrayList<>();
        Map<String, Exposition.Family> exposed = exposition.families();
        for (MetricCatalog.Entry entry : catalog.emittedBy(service)) {
            if (!which.test(entry)) {
                continue;
            }
            Exposition.Family family = exposed.get(entry.name());
            if (family == null) {
                problems.add(service + " does not expose " + entry.name() + ", which docs/METRICS.md lists for it");
                continue;
            }
            if (!family.type().equals(entry.type())) {
                problems.add(entry.name() + " is a " + family.type() + " on " + service + ", docs/METRICS.md says " + entry.type());
            }
            if (!family.labels().equals(entry.labels())) {
                problems.add(entry.name() + " has labels " + family.labels() + " on " + service
                        + ", docs/METRICS.md says " + new java.util.TreeSet<>(entry.labels()));
            }
        }
        return problems;
    }
}
