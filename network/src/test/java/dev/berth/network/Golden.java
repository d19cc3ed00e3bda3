package dev.berth.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compares text with {@code src/test/resources/golden/<name>}; {@code -Dgolden.update=true} rewrites it. */
final class Golden {
    private Golden() {}

    static void assertMatches(String name, String actual) {
        Path p = Path.of("src/test/resources/golden", name);
        try {
            if (Boolean.getBoolean("golden.update")) {
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual);
            }
            assertThat(Files.exists(p)).as("golden file %s exists (run with -Dgolden.update=true to create it)", p).isTrue();
            assertThat(actual).isEqualTo(Files.readString(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
