package dev.berth.daemon.build;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.sys.proc.CommandResult;
import dev.berth.sys.proc.ProcessLauncher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks out a git remote the way dockerd's classic builder does ({@code remotecontext/git}):
 * {@code git init}, {@code git remote add origin URL}, {@code git fetch [--depth 1] origin -- REF}
 * (shallow unless the server is a dumb HTTP server), {@code git checkout REF} falling back to
 * {@code FETCH_HEAD}, then {@code git submodule update --init --recursive --depth=1}; the context
 * is the fragment's subdirectory, resolved inside the checkout.
 *
 * <p>git runs as an external binary with dockerd's isolation: {@code -c protocol.file.allow=never}
 * (a repository cannot pull in the daemon's local files as submodules), {@code GIT_PROTOCOL_FROM_USER=0}
 * (protocols with the "user" policy, e.g. {@code ext::}, are refused), no system or global config
 * ({@code GIT_CONFIG_NOSYSTEM=1}, {@code GIT_CONFIG_GLOBAL=/dev/null}, {@code HOME=/dev/null}: the
 * daemon host's credential helpers, url rewrites and hooks do not apply), and additionally
 * {@code GIT_TERMINAL_PROMPT=0} so that a repository asking for credentials fails at once instead
 * of waiting for a terminal. Every git command shares one deadline; a command still running at the
 * deadline is killed with its children. Thread-safe (no state besides its collaborators).
 */
final class GitCloner {
    /** Output kept per git command and stream (for error messages); the rest is discarded. */
    private static final int MAX_OUTPUT = 64 * 1024;

    private final ProcessLauncher launcher;
    private final UrlDownloader http;
    private final String git;

    GitCloner(ProcessLauncher launcher, UrlDownloader http, String gitBinary) {
        this.launcher = launcher;
        this.http = http;
        this.git = gitBinary;
    }

    /**
     * Clones {@code repo} into {@code root} (an existing empty directory) and returns the context
     * directory: {@code root} or the fragment's subdirectory inside it.
     *
     * @throws BerthException with dockerd's messages ("error fetching: …", "error checking out …",
     *     "error setting git context, … not within git root")
     */
    Path checkout(RemoteUrls.GitRemote repo, Path root, Instant deadline) throws IOException {
        Result r = run(root, deadline, "init");
        if (!r.ok()) {
            throw fail("failed to init repo at %s: %s".formatted(root, r.output()), r);
        }
        r = run(root, deadline, "remote", "add", "origin", repo.url());
        if (!r.ok()) {
            throw fail("failed add origin repo at %s: %s".formatted(repo.url(), r.output()), r);
        }
        List<String> fetch = new ArrayList<>(List.of("fetch"));
        if (supportsShallowClone(repo.url())) {
            fetch.addAll(List.of("--depth", "1"));
        }
        fetch.addAll(List.of("origin", "--", repo.ref()));
        r = run(root, deadline, fetch.toArray(String[]::new));
        if (!r.ok()) {
            throw fail("error fetching: " + r.output(), r);
        }
        // a branch name checks out as a branch (HEAD names it); a tag or commit through FETCH_HEAD
        r = run(root, deadline, "checkout", repo.ref());
        if (!r.ok()) {
            Result head = run(root, deadline, "checkout", "FETCH_HEAD");
            if (!head.ok()) {
                throw fail("error checking out %s: %s".formatted(repo.ref(), r.output()), r);
            }
        }
        Path context = root;
        if (!repo.subdir().isEmpty()) {
            context = ScopedPath.resolve(root, repo.subdir());
            if (!Files.exists(context, LinkOption.NOFOLLOW_LINKS)) {
                throw new BerthException(ErrorKind.INTERNAL, "stat %s: no such file or directory".formatted(context));
            }
            if (!Files.isDirectory(context, LinkOption.NOFOLLOW_LINKS)) {
                throw new BerthException(ErrorKind.INTERNAL,
                        "error setting git context, not a directory: %s".formatted(context));
            }
        }
        r = run(root, deadline, "submodule", "update", "--init", "--recursive", "--depth=1");
        if (!r.ok()) {
            throw fail("error initializing submodules: " + r.output(), r);
        }
        return context;
    }

    /** dockerd's check: only HTTP servers that speak the smart protocol can fetch shallow. */
    private boolean supportsShallowClone(String url) throws InterruptedIOException {
        String scheme = RemoteUrls.scheme(url);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return true;
        }
        String ct = http.contentTypeIfOk(url + "/info/refs?service=git-upload-pack");
        return "application/x-git-upload-pack-advertisement".equals(ct);
    }

    /**
     * The output (stdout, then stderr) and exit code of one git command, -1 when it was killed at
     * the deadline; Go's error text for it.
     */
    record Result(int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        String error() {
            return exitCode == -1 ? "signal: killed" : "exit status " + exitCode;
        }
    }

    /** Go's errors.Wrapf: "message: cause". */
    private static BerthException fail(String message, Result r) {
        return new BerthException(ErrorKind.INTERNAL, message + ": " + r.error());
    }

    /** The environment of every git command (see the class comment for why each is set). */
    static Map<String, String> environment() {
        return Map.of(
                "GIT_PROTOCOL_FROM_USER", "0",
                "GIT_CONFIG_NOSYSTEM", "1",
                "GIT_CONFIG_GLOBAL", "/dev/null",
                "HOME", "/dev/null",
                "GIT_TERMINAL_PROMPT", "0");
    }

    /** The argv of one git command. */
    List<String> argv(String... args) {
        List<String> argv = new ArrayList<>(List.of(git, "-c", "protocol.file.allow=never"));
        argv.addAll(List.of(args));
        return argv;
    }

    private Result run(Path dir, Instant deadline, String... args) throws IOException {
        // every command of one checkout shares the deadline; the launcher kills git's helpers with it
        CommandResult r = launcher.run(argv(args), environment(), dir, Duration.between(Instant.now(), deadline), MAX_OUTPUT);
        return new Result(r.exitCode(), r.stdout() + r.stderr());
    }
}
