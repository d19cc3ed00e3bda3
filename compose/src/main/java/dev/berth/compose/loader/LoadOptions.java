package dev.berth.compose.loader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to load: {@code -f} files (empty: look for compose.yaml & co in the working directory),
 * {@code --project-directory}, {@code -p}, {@code --env-file}s, {@code --profile}s, and the
 * process environment.
 */
public record LoadOptions(List<Path> files, Path projectDirectory, String projectName, List<Path> envFiles,
                          List<String> profiles, Map<String, String> osEnv, Path cwd) {

    public static LoadOptions of(Path... files) {
        return new LoadOptions(List.of(files), null, null, List.of(), List.of(), System.getenv(),
                Path.of("").toAbsolutePath());
    }
}
