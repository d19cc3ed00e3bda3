package dev.berth.cli;

import dev.berth.api.model.ContainerInspect;
import dev.berth.api.model.ContainerSummary;
import dev.berth.api.model.SystemVersion;
import dev.berth.common.Json;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine;

/**
 * The training run for the JDK AOT cache that {@code bin/berth} builds on first use: it parses
 * typical command lines and (de)serialises typical replies without a daemon, so the classes
 * every real invocation needs are in the cache.
 */
final class Training {
    private Training() {}

    /**
     * Runs {@code version} and {@code ps} through the real client against a canned in-process
     * engine on a temporary unix socket, so the codec and JSON paths are trained too.
     */
    private static void againstCannedEngine(PrintStream sink) throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("berth-aot");
        java.nio.file.Path sock = dir.resolve("e.sock");
        // the training JVM may end through System.exit before the finally below: remove both then too
        // (deleteOnExit works in reverse order: the socket first, then its directory)
        dir.toFile().deleteOnExit();
        sock.toFile().deleteOnExit();
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            Thread t = Thread.ofVirtual().start(() -> {
                while (true) {
                    try (var ch = server.accept()) {
                        var in = new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(ch)));
                        String req = in.readLine();
                        String line;
                        while ((line = in.readLine()) != null && !line.isEmpty()) {
                            // skip headers
                        }
                        String body = req.contains("/version") ? VERSION : req.contains("/containers/json") ? PS : "OK";
                        String head = req.startsWith("HEAD") ? "" : body;
                        String resp = "HTTP/1.1 200 OK\r\nApi-Version: 1.50\r\nContent-Type: application/json\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n" + (head.isEmpty() ? "" : Integer.toHexString(head.length())
                                + "\r\n" + head + "\r\n") + "0\r\n\r\n";
                        ch.write(java.nio.ByteBuffer.wrap(resp.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                    } catch (java.io.IOException | RuntimeException e) {
                        return;
                    }
                }
            });
            Launcher.ensureDefaultEngine("unix://" + sock, java.util.Map.of());
            Launcher.answers(dir.resolve("none.sock")); // no file: returns at once
            var client = dev.berth.client.BerthClient.connect("unix://" + sock);
            VersionCmd.print(client, null, sink);
            PsCmd.list(client, sink, true, false, false, -1, false, false, java.util.List.of(), null);
            // The fast path (no Jackson) too.
            var v = FastPath.version(MiniJson.parse(new String(client.getBytes("/version", null), java.nio.charset.StandardCharsets.UTF_8)));
            VersionCmd.print(v, null, client.apiVersion(), null, sink);
            var rows = new java.util.ArrayList<ContainerSummary>();
            for (Object o : (java.util.List<?>) MiniJson.parse(new String(client.getBytes("/containers/json", null),
                    java.nio.charset.StandardCharsets.UTF_8))) {
                rows.add(FastPath.summary((java.util.Map<?, ?>) o));
            }
            PsCmd.print(rows, sink, false, false, false, null);
            t.interrupt();
        } finally {
            java.nio.file.Files.deleteIfExists(sock);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    private static final String VERSION = "{\"Version\":\"0.1.0\",\"ApiVersion\":\"1.50\",\"MinAPIVersion\":\"1.24\","
            + "\"Os\":\"linux\",\"Arch\":\"amd64\",\"Components\":[{\"Name\":\"Engine\",\"Version\":\"0.1.0\",\"Details\":{}}]}";
    private static final String PS = "[{\"Id\":\"0123456789abcdef0123\",\"Names\":[\"/x\"],\"Image\":\"busybox\","
            + "\"Command\":\"sh\",\"Created\":1,\"Ports\":[],\"Labels\":{},\"State\":\"running\",\"Status\":\"Up\"}]";

    static void run() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        try {
            againstCannedEngine(sink);
        } catch (java.io.IOException | RuntimeException e) {
            // training is best-effort
        }
        String[][] lines = {
            {"version"}, {"ps", "-a", "--format", "table {{.ID}}\t{{.Names}}"}, {"images"},
            {"run", "-d", "--rm", "-p", "127.0.0.1:8080:80", "-e", "A=b", "-v", "/tmp:/data:ro", "busybox", "sh"},
            {"exec", "-it", "c", "sh"}, {"logs", "-f", "c"}, {"inspect", "c"}, {"rm", "-f", "c"},
        };
        for (String[] l : lines) {
            CommandLine cl = new CommandLine(new Berth());
            cl.addSubcommand(l[0], Berth.COMMANDS.get(l[0]));
            cl.parseArgs(l);
        }
        String version = "{\"Version\":\"0.1.0\",\"ApiVersion\":\"1.50\",\"MinAPIVersion\":\"1.24\",\"Os\":\"linux\","
                + "\"Arch\":\"amd64\",\"Components\":[{\"Name\":\"Engine\",\"Version\":\"0.1.0\",\"Details\":{}}]}";
        Json.mapper().readValue(version, SystemVersion.class);
        String ps = "[{\"Id\":\"0123456789abcdef0123\",\"Names\":[\"/x\"],\"Image\":\"busybox\",\"Command\":\"sh\","
                + "\"Created\":1,\"Ports\":[{\"IP\":\"0.0.0.0\",\"PrivatePort\":80,\"PublicPort\":8080,\"Type\":\"tcp\"}],"
                + "\"Labels\":{},\"State\":\"running\",\"Status\":\"Up 1 second\"}]";
        var list = Json.mapper().<java.util.List<ContainerSummary>>readValue(ps,
                Json.mapper().getTypeFactory().constructCollectionType(java.util.List.class, ContainerSummary.class));
        Table t = new Table().line(PsCmd.header(PsCmd.DEFAULT_FORMAT.substring(6)));
        Template tpl = new Template(PsCmd.DEFAULT_FORMAT.substring(6));
        list.forEach(c -> t.line(tpl.render(PsCmd.context(c, false))));
        t.print(sink);
        Json.mapper().readValue("{\"Id\":\"x\",\"State\":{\"Status\":\"running\"},\"Config\":{\"Tty\":false}}", ContainerInspect.class);
        sink.println(GoJson.indent(Json.mapper().readTree("{\"a\":[1,{}],\"b\":\"<x>\"}")));
    }
}
