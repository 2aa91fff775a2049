package io.distillmesh.deploy;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shipped deploy/prometheus/prometheus.yml turned into a config for a test: same jobs, but scraping
 * the given loopback targets every second, and evaluating the given rule file every second.
 */
final class LoopbackScrapeConfig {
    private LoopbackScrapeConfig() {
    }

    @SuppressWarnings("unchecked")
    static String from(String shippedYaml, Map<String, List<String>> targetsByJob, Path rules) {
        Map<String, Object> config = new Yaml().load(shippedYaml);
        Map<String, Object> global = (Map<String, Object>) config.computeIfAbsent("global", k -> new LinkedHashMap<>());
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        config.put("rule_files", List.of(rules.toAbsolutePath().toString()));
        Set<String> jobs = new HashSet<>();
        for (Map<String, Object> scrape : (List<Map<String, Object>>) config.get("scrape_configs")) {
            String job = (String) scrape.get("job_name");
            List<String> targets = targetsByJob.get(job);
            if (targets == null) {
                throw new IllegalArgumentException("the shipped config has a job " + job + " the test has no target for");
            }
            scrape.put("static_configs", List.of(Map.of("targets", targets)));
            jobs.add(job);
        }
        if (!jobs.equals(targetsByJob.keySet())) {
            throw new IllegalArgumentException("the shipped config's jobs are " + jobs + ", expected " + targetsByJob.keySet());
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(config);
    }
}
