package io.distillmesh.k8s.mesh;

import io.distillmesh.k8s.ProjectLayout;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The modules under services/, read from their pom.xml files. */
public final class ServiceModules {
    private ServiceModules() {
    }

    public static List<ServiceModule> all() {
        try (Stream<Path> dirs = Files.list(ProjectLayout.root().resolve("services"))) {
            List<ServiceModule> modules = new ArrayList<>();
            for (Path dir : dirs.sorted().toList()) {
                if (Files.isRegularFile(dir.resolve("pom.xml"))) {
                    modules.add(read(dir));
                }
            }
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<ServiceModule> withImages() {
        return all().stream().filter(ServiceModule::buildsImage).toList();
    }

    static ServiceModule read(Path dir) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document pom = factory.newDocumentBuilder().parse(dir.resolve("pom.xml").toFile());
            Element project = pom.getDocumentElement();
            String artifactId = childText(project, "artifactId");
            Element jib = jibPlugin(project);
            Element config = child(jib, "configuration");
            return new ServiceModule(dir, artifactId, childText(child(config, "to"), "image"),
                    childText(child(config, "container"), "mainClass"), "false".equals(childText(config, "skip")),
                    child(jib, "executions") != null);
        } catch (Exception e) {
            throw new IllegalStateException(dir.resolve("pom.xml") + ": " + e.getMessage(), e);
        }
    }

    private static Element jibPlugin(Element project) {
        Element plugins = child(child(project, "build"), "plugins");
        if (plugins == null) {
            return null;
        }
        for (Element plugin : children(plugins, "plugin")) {
            if ("jib-maven-plugin".equals(childText(plugin, "artifactId"))) {
                return plugin;
            }
        }
        return null;
    }

    static Element child(Element parent, String name) {
        List<Element> found = parent == null ? List.of() : children(parent, name);
        return found.isEmpty() ? null : found.get(0);
    }

    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String childText(Element parent, String name) {
        Element e = parent == null ? null : child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
