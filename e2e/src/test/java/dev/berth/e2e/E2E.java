package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;

/** Base of the end-to-end tests: the shared engine and assertion helpers. */
@ExtendWith(EngineExtension.class)
abstract class E2E {
    final Engine e;

    E2E(Engine e) {
        this.e = e;
    }

    /** Runs docker and asserts exit 0, returning stdout. */
    String ok(String... args) {
        Cmd.Result r = e.docker(args);
        assertThat(r.exit()).as(r.describe()).isZero();
        return r.out();
    }

    Cmd.Result docker(String... args) {
        return e.docker(args);
    }

    /** A detached busybox container running {@code sleep 300}, named uniquely. */
    String sleeper(String prefix, String... extra) {
        String name = Engine.name(prefix);
        String[] args = new String[extra.length + 7];
        args[0] = "run";
        args[1] = "-d";
        args[2] = "--name";
        args[3] = name;
        System.arraycopy(extra, 0, args, 4, extra.length);
        args[4 + extra.length] = "busybox";
        args[5 + extra.length] = "sleep";
        args[6 + extra.length] = "300";
        ok(args);
        return name;
    }

    String inspect(String name, String format) {
        return ok("inspect", "--format", format, name).trim();
    }

    /** Polls {@code check} until it yields true or the timeout passes. */
    static boolean eventually(Duration timeout, Supplier<Boolean> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.get()) {
                return true;
            }
            Engine.sleep(200);
        }
        return check.get();
    }
}
