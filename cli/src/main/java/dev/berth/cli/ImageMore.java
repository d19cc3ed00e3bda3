package dev.berth.cli;

import dev.berth.api.model.HistoryItem;
import dev.berth.client.Query;
import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import dev.berth.common.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Image commands: history, build, login, logout. */
final class ImageMore {
    private ImageMore() {}

    @Command(name = "history", description = "Show the history of an image")
    static final class HistoryCmd extends BaseCommand {
        @Option(names = {"-H", "--human"}, defaultValue = "true", arity = "0..1") boolean human;
        @Option(names = "--no-trunc") boolean noTrunc;
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--format") String format;
        @Option(names = "--platform") String platform;
        @Parameters(index = "0", paramLabel = "IMAGE") String image;

        @Override
        public Integer call() {
            List<HistoryItem> items = client().images().history(image);
            if (quiet) {
                items.forEach(h -> out.println(id(h)));
                return 0;
            }
            String fmt = format == null ? "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}" : format;
            boolean table = Template.isTable(fmt);
            Template tpl = new Template(table ? Template.stripTable(fmt) : fmt);
            Table t = new Table();
            if (table) {
                t.line(Template.stripTable(fmt).replace("{{.ID}}", "IMAGE").replace("{{.CreatedSince}}", human ? "CREATED" : "CREATED AT")
                        .replace("{{.CreatedAt}}", "CREATED AT").replace("{{.CreatedBy}}", "CREATED BY")
                        .replace("{{.Size}}", "SIZE").replace("{{.Comment}}", "COMMENT").replace("\\t", "\t"));
            }
            for (HistoryItem h : items) {
                Map<String, Object> ctx = new LinkedHashMap<>();
                ctx.put("ID", id(h));
                ctx.put("CreatedSince", !human ? rfc3339(h.created()) : h.created() <= 0 ? "N/A" : Fmt.ago(h.created()));
                ctx.put("CreatedAt", rfc3339(h.created()));
                String by = h.createdBy() == null ? "" : h.createdBy().replace("\t", " ");
                ctx.put("CreatedBy", noTrunc ? by : Fmt.ellipsis(by, 45));
                ctx.put("Size", human ? Fmt.humanSize(h.size()) : String.valueOf(h.size()));
                ctx.put("Comment", h.comment() == null ? "" : h.comment());
                String line = tpl.render(ctx);
                if (table) {
                    t.line(line);
                } else {
                    out.println(line);
                }
            }
            if (table) {
                t.print(out);
            }
            return 0;
        }

        /** Go's time.RFC3339 in the local zone ("Z" for UTC). */
        private static String rfc3339(long unix) {
            return java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(java.time.Instant.ofEpochSecond(unix)
                    .atZone(java.time.ZoneId.systemDefault()).toOffsetDateTime());
        }

        private String id(HistoryItem h) {
            if (h.id() == null || h.id().isEmpty() || h.id().equals("<missing>")) {
                return "<missing>";
            }
            return noTrunc ? h.id() : Fmt.shortId(h.id());
        }
    }

    @Command(name = "build", description = "Build an image from a Dockerfile")
    static final class BuildCmd extends BaseCommand {
        @Option(names = {"-t", "--tag"}) List<String> tags = new ArrayList<>();
        @Option(names = {"-f", "--file"}) String file;
        @Option(names = "--build-arg") List<String> buildArgs = new ArrayList<>();
        @Option(names = "--label") List<String> labels = new ArrayList<>();
        @Option(names = "--no-cache") boolean noCache;
        @Option(names = "--pull") boolean pull;
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = "--target") String target;
        @Option(names = "--rm", defaultValue = "true", arity = "0..1") boolean rm;
        @Option(names = "--force-rm") boolean forceRm;
        @Option(names = "--network") String network;
        @Option(names = "--platform") String platform;
        @Option(names = "--iidfile") String iidfile;
        @Option(names = "--cache-from") List<String> cacheFrom = new ArrayList<>();
        @Option(names = "--add-host") List<String> addHosts = new ArrayList<>();
        @Option(names = "--shm-size") String shmSize;
        @Option(names = {"-m", "--memory"}) String memory;
        @Parameters(index = "0", paramLabel = "PATH | URL | -") String context;

        @Override
        public Integer call() throws Exception {
            Query q = Query.of();
            tags.forEach(t -> q.add("t", t));
            Map<String, String> args = new LinkedHashMap<>();
            for (String a : buildArgs) {
                int eq = a.indexOf('=');
                if (eq < 0) {
                    if (System.getenv(a) != null) {
                        args.put(a, System.getenv(a));
                    }
                } else {
                    args.put(a.substring(0, eq), a.substring(eq + 1));
                }
            }
            Map<String, String> lbl = new LinkedHashMap<>();
            for (String l : labels) {
                int eq = l.indexOf('=');
                lbl.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
            }
            InputStream body;
            String dockerfileName = null;
            if (context.equals("-")) {
                byte[] in = System.in.readAllBytes();
                if (in.length > 262 && new String(in, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
                    body = new ByteArrayInputStream(in);
                    dockerfileName = file;
                } else {
                    ByteArrayOutputStream tar = new ByteArrayOutputStream();
                    try (Tar.Writer w = new Tar.Writer(tar)) {
                        w.addFile("Dockerfile", in, 0644);
                    }
                    body = new ByteArrayInputStream(tar.toByteArray());
                }
            } else if (context.matches("^(https?|git)://.*") || context.startsWith("git@")) {
                q.add("remote", context);
                body = null;
                dockerfileName = file;
            } else {
                Path dir = Path.of(context);
                if (!Files.isDirectory(dir)) {
                    throw BerthException.invalid("unable to prepare context: path %s not found", Fmt.quote(context));
                }
                Path df = file == null ? dir.resolve("Dockerfile") : Path.of(file).isAbsolute() ? Path.of(file)
                        : Path.of(file);
                if (file != null && !Files.exists(df) && Files.exists(dir.resolve(file))) {
                    df = dir.resolve(file);
                }
                if (!Files.exists(df)) {
                    throw BerthException.invalid("unable to prepare context: unable to evaluate symlinks in Dockerfile path: "
                            + "lstat %s: no such file or directory", df.toAbsolutePath());
                }
                Path dirAbs = dir.toRealPath();
                Path dfAbs = df.toRealPath();
                String inContext = dfAbs.startsWith(dirAbs) ? dirAbs.relativize(dfAbs).toString() : null;
                dockerfileName = inContext != null ? inContext : ".dockerfile." + Long.toHexString(System.nanoTime());
                Path ignoreFile = dir.resolve(".dockerignore");
                DockerIgnore ignore = new DockerIgnore(Files.exists(ignoreFile) ? Files.readAllLines(ignoreFile) : List.of());
                String keepDf = inContext;
                byte[] outsideDf = inContext == null ? Files.readAllBytes(dfAbs) : null;
                String outsideName = dockerfileName;
                PipedInputStream pin = new PipedInputStream(256 * 1024);
                PipedOutputStream pout = new PipedOutputStream(pin);
                Thread.ofVirtual().start(() -> {
                    try (Tar.Writer w = new Tar.Writer(pout)) {
                        // The Dockerfile and .dockerignore are always sent, as docker does.
                        w.addTree(dirAbs, "", rel -> !rel.equals(keepDf) && !rel.equals(".dockerignore") && ignore.excluded(rel),
                                ignore.hasExceptions());
                        if (outsideDf != null) {
                            w.addFile(outsideName, outsideDf, 0644);
                        }
                    } catch (IOException e) {
                        try {
                            pout.close();
                        } catch (IOException ignored) {
                            // reader sees a truncated tar and the engine reports it
                        }
                    }
                });
                body = pin;
            }
            q.add("dockerfile", dockerfileName);
            if (!args.isEmpty()) {
                q.add("buildargs", Json.mapper().writeValueAsString(args));
            }
            if (!lbl.isEmpty()) {
                q.add("labels", Json.mapper().writeValueAsString(lbl));
            }
            if (!cacheFrom.isEmpty()) {
                q.add("cachefrom", Json.mapper().writeValueAsString(cacheFrom));
            }
            q.add("nocache", noCache).add("pull", pull).add("q", quiet).add("target", target)
                    .add("rm", rm ? "1" : "0").add("forcerm", forceRm).add("networkmode", network).add("platform", platform)
                    .add("extrahosts", addHosts.isEmpty() ? null : String.join(",", addHosts))
                    .add("shmsize", shmSize == null ? null : Units.ramInBytes(shmSize))
                    .add("memory", memory == null ? null : Units.ramInBytes(memory));
            String[] imageId = {null};
            Progress p = Progress.forStdout(out);
            StringBuilder quietOut = new StringBuilder();
            client().images().build(body == null ? InputStream.nullInputStream() : body, q, null, m -> {
                if (m.aux() instanceof Map<?, ?> aux && aux.get("ID") != null) {
                    imageId[0] = String.valueOf(aux.get("ID"));
                }
                if (quiet) {
                    if (m.stream() != null) {
                        quietOut.append(m.stream());
                    }
                } else {
                    p.accept(m);
                }
            });
            if (quiet) {
                out.print(quietOut);
                out.flush();
            }
            if (iidfile != null && imageId[0] != null) {
                Files.writeString(Path.of(iidfile), imageId[0]);
            }
            return 0;
        }

        @Override
        int daemonErrorExit() {
            return 1;
        }
    }

    @Command(name = "login", description = "Authenticate to a registry")
    static final class LoginCmd extends BaseCommand {
        @Option(names = {"-u", "--username"}) String username;
        @Option(names = {"-p", "--password"}) String password;
        @Option(names = "--password-stdin") boolean passwordStdin;
        @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER") String server;

        @Override
        public Integer call() throws IOException {
            String key = Auth.serverKey(server);
            if (password != null) {
                err.println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
                if (passwordStdin) {
                    throw BerthException.invalid("--password and --password-stdin are mutually exclusive");
                }
            }
            if (passwordStdin) {
                if (username == null) {
                    throw BerthException.invalid("Must provide --username with --password-stdin");
                }
                password = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("[\r\n]+$", "");
            }
            java.io.Console console = System.console();
            if (username == null) {
                if (console == null) {
                    throw BerthException.invalid("Cannot perform an interactive login from a non TTY device");
                }
                username = console.readLine("Username: ").strip();
            }
            if (password == null) {
                if (console == null) {
                    throw BerthException.invalid("Cannot perform an interactive login from a non TTY device");
                }
                password = new String(console.readPassword("Password: "));
            }
            if (username.isEmpty()) {
                throw BerthException.invalid("Username cannot be empty");
            }
            if (password.isEmpty()) {
                throw BerthException.invalid("Password cannot be empty");
            }
            client().system().auth(username, password, key);
            try {
                new Auth().store(key, username, password);
            } catch (BerthException e) {
                throw BerthException.invalid("Error saving credentials: %s", e.getMessage()); // docker's wording
            }
            out.println("Login Succeeded");
            return 0;
        }
    }

    @Command(name = "logout", description = "Log out from a registry")
    static final class LogoutCmd extends BaseCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "SERVER") String server;

        @Override
        public Integer call() throws IOException {
            String key = Auth.serverKey(server);
            out.println("Removing login credentials for " + key);
            try {
                new Auth().remove(key);
            } catch (BerthException e) {
                // as docker: a helper that cannot erase is reported, the file entry goes anyway
                err.println("WARNING: could not erase credentials for " + key + ": " + e.getMessage());
            }
            return 0;
        }
    }

    /** Thrown when a feature is recognised but unsupported. */
    static BerthException unsupported(String what) {
        return new BerthException(ErrorKind.NOT_IMPLEMENTED, what + " is not supported by berth yet");
    }
}
