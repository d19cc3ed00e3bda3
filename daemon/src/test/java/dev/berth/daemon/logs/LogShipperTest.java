package dev.berth.daemon.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.logger.LogFileReader;
import dev.berth.logger.LogFormat;
import dev.berth.logger.RotationPolicy;
import dev.berth.runtime.RuntimeDriver;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogShipperTest {
    @TempDir
    Path dir;

    /** Like conmon's spool: every newly opened reader starts at the beginning of what was written. */
    final List<RuntimeDriver.LogEntry> spooled = new CopyOnWriteArrayList<>();

    RuntimeDriver driver() {
        return (RuntimeDriver) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {RuntimeDriver.class}, (p, m, args) -> {
            if (!m.getName().equals("openOutputSpool")) {
                throw new UnsupportedOperationException(m.getName());
            }
            int[] next = {0};
            return new RuntimeDriver.OutputSpool() {
                @Override
                public boolean drain(RuntimeDriver.LogConsumer c) throws java.io.IOException {
                    boolean any = false;
                    while (next[0] < spooled.size()) {
                        c.accept(spooled.get(next[0]++));
                        any = true;
                    }
                    return any;
                }

                @Override
                public void close() { }
            };
        });
    }

    void out(long t, String s) {
        spooled.add(new RuntimeDriver.LogEntry(t, false, (s + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    List<String> logged(Path log) throws Exception {
        return logged(log, LogFormat.JSON_FILE);
    }

    List<String> logged(Path log, LogFormat format) throws Exception {
        List<String> got = new ArrayList<>();
        LogFileReader.read(log, format, false, () -> true, m -> got.add(new String(m.data(), StandardCharsets.UTF_8).strip()));
        return got;
    }

    @Test
    void reopeningResumesAfterTheNewestLoggedMessageEvenWithEqualTimes() throws Exception {
        Path log = dir.resolve("c-json.log");
        LogTarget target = new LogTarget(driver(), dir.resolve("output.spool"), log, new RotationPolicy(0, 1, false), Map.of(), false);
        LogShipper shipper = new LogShipper("c", target);
        out(1, "a");
        out(2, "b1");
        out(2, "b2"); // conmon stamps the lines of one read alike
        assertThat(shipper.ship()).isTrue();
        shipper.close();
        out(2, "b3");
        out(3, "c");
        // a fresh shipper (daemon restart) and a reopened one (stopped container) both resume exactly
        LogShipper restarted = new LogShipper("c", target);
        assertThat(restarted.ship()).isTrue();
        assertThat(logged(log)).containsExactly("a", "b1", "b2", "b3", "c");
        restarted.close();
        out(4, "d");
        restarted.ship();
        assertThat(logged(log)).containsExactly("a", "b1", "b2", "b3", "c", "d");
    }

    @Test
    void aNewRunDoesNotSkipItsFirstLines() throws Exception {
        Path log = dir.resolve("n-json.log");
        LogTarget target = new LogTarget(driver(), dir.resolve("output.spool"), log, new RotationPolicy(0, 1, false), Map.of(), false);
        LogShipper shipper = new LogShipper("n", target);
        out(5, "first run");
        shipper.ship();
        shipper.newRun();
        spooled.clear(); // the shim of the next run starts a new spool
        out(5, "second run, same clock tick");
        shipper.ship();
        assertThat(logged(log)).containsExactly("first run", "second run, same clock tick");
    }

    @Test
    void theLocalDriverResumesExactlyAcrossRotationsAndRestarts() throws Exception {
        Path log = dir.resolve("local-logs").resolve("container.log");
        LogTarget target = new LogTarget(driver(), dir.resolve("output.spool"), log, LogFormat.LOCAL,
                new dev.berth.logger.RotationPolicy(120, 4, true), Map.of(), false, null);
        LogShipper shipper = new LogShipper("l", target);
        for (int i = 0; i < 10; i++) {
            out(10 + i / 3, "line-" + i); // runs of equal times, some across a rotation
        }
        shipper.ship();
        // the daemon is killed: nothing is closed, the spool is read again from its start
        for (int i = 10; i < 14; i++) {
            out(10 + i / 3, "line-" + i);
        }
        LogShipper restarted = new LogShipper("l", target);
        restarted.ship();
        restarted.close();
        List<String> got = logged(log, LogFormat.LOCAL);
        assertThat(got).isNotEmpty().endsWith("line-13").doesNotHaveDuplicates();
        int first = Integer.parseInt(got.getFirst().substring(5));
        assertThat(got).hasSize(14 - first); // a contiguous suffix: nothing lost but what rotation dropped
        assertThat(java.nio.file.Files.exists(dir.resolve("local-logs").resolve("container.log.1.gz"))).isTrue();
    }

    @Test
    void aRefusedLogFailsTheStartWithDockerdsMessageAndTouchesNothing() {
        Path log = dir.resolve("local-logs").resolve("container.log");
        LogTarget target = new LogTarget(driver(), dir.resolve("output.spool"), log, LogFormat.LOCAL,
                new dev.berth.logger.RotationPolicy(100, 1, true), Map.of(), false, "compression cannot be enabled when max file count is 1");
        LogShippers shippers = new LogShippers(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> shippers.starting("r", target))
                .isInstanceOf(dev.berth.common.BerthException.class)
                .hasMessage("failed to create task for container: failed to initialize logging driver: "
                        + "compression cannot be enabled when max file count is 1");
        assertThat(dir.resolve("local-logs")).doesNotExist();
    }
}
