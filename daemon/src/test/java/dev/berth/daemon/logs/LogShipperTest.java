package dev.berth.daemon.logs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.logger.JsonFileLogReader;
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
        List<String> got = new ArrayList<>();
        JsonFileLogReader.read(log, false, () -> true, m -> got.add(new String(m.data(), StandardCharsets.UTF_8).strip()));
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
}
