package dev.berth.sys.net;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs one short-lived helper program (ip, iptables, nsenter, unshare, umount) and captures its
 * output. Package-private: spawning processes is confined to {@code sys}. Thread-safe.
 */
final class Cmd {
    private static final long TIMEOUT_SECONDS = 60;

    record Result(List<String> argv, int exit, String stdout, String stderr) {
        boolean ok() {
            return exit == 0;
        }

        /** Throws a BerthException describing the failed command unless it succeeded. */
        Result orThrow() {
            if (exit != 0) {
                throw new BerthException(ErrorKind.INTERNAL,
                        "%s failed (exit %d): %s".formatted(String.join(" ", argv), exit, stderr.strip()));
            }
            return this;
        }
    }

    private Cmd() {}

    static Result run(List<String> argv) {
        return run(argv, null);
    }

    static Result run(List<String> argv, String stdin) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().put("LC_ALL", "C");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw BerthException.unavailable("cannot run %s: %s (is it installed?)", argv.getFirst(), e.getMessage());
        }
        // Drain both pipes concurrently so a chatty child can never block on a full pipe.
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try {
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new BerthException(ErrorKind.INTERNAL, String.join(" ", argv) + " timed out");
            }
            return new Result(List.copyOf(argv), p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw BerthException.internal("writing to " + argv.getFirst() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw BerthException.internal("interrupted while running " + argv.getFirst(), e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                f.complete("");
            }
        });
        return f;
    }
}
