package dev.berth.compose.loader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A loaded, merged, normalized Compose project. {@code model} is the canonical tree (top-level
 * {@code name}, {@code services}, {@code networks}, {@code volumes}, {@code secrets},
 * {@code configs}) in long syntax with absolute host paths — what {@code config} prints.
 * Treat as immutable once loaded.
 *
 * @param environment the variables used for interpolation (process env over .env)
 * @param disabledServices services defined but excluded by profiles
 */
public record Project(String name, Path workingDir, List<Path> configFiles, Map<String, String> environment,
                      Map<String, Object> model, List<String> disabledServices, List<String> warnings) {

    public Map<String, Object> services() {
        return Values.map(model, "services");
    }

    public Map<String, Object> service(String name) {
        Object s = services().get(name);
        if (!(s instanceof Map<?, ?> m)) {
            throw Normalizer.invalid("no such service: " + name);
        }
        return Normalizer.cast(m);
    }

    public Map<String, Object> networks() {
        return Values.map(model, "networks");
    }

    public Map<String, Object> volumes() {
        return Values.map(model, "volumes");
    }

    public Map<String, Object> secrets() {
        return Values.map(model, "secrets");
    }

    public Map<String, Object> configs() {
        return Values.map(model, "configs");
    }
}
