package dev.berth.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The whole {@link ConmonRuntimeDriverIT} suite with crun (through {@link CrunHybridCgroups} on
 * hybrid cgroup hosts): limits, exec with and without TTY, pause, kill, delete, restore.
 * The inherited {@code @AfterAll} cleans up.
 */
class CrunConmonRuntimeDriverIT extends ConmonRuntimeDriverIT {
    @BeforeAll
    static void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/conmon")) && Files.isExecutable(Path.of("/usr/bin/crun")));
        setUp(Path.of("/usr/bin/crun"), "crun");
    }
}
