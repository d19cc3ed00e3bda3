package dev.berth.cli;

import dev.berth.api.model.ImageDeleteItem;
import dev.berth.api.model.ImageSummary;
import dev.berth.api.model.JsonMessage;
import dev.berth.client.HttpResponse;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Image commands: images, rmi, tag, save, load, import, pull, push. */
final class ImageCmds {
    private ImageCmds() {}

    @Command(name = "images", description = "List images")
    static final class ImagesCmd extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = {"-a", "--all"}) boolean all;
        @Option(names = "--no-trunc") boolean noTrunc;
        @Option(names = "--digests") boolean digests;
        @Option(names = {"-f", "--filter"}) List<String> filters = new ArrayList<>();
        @Option(names = "--format") String format;
        @Parameters(arity = "0..1", paramLabel = "REPOSITORY[:TAG]") String reference;

        @Override
        public Integer call() {
            Map<String, Set<String>> f = EventsCmd.parseFilters(filters);
            if (reference != null) {
                f.computeIfAbsent("reference", k -> new LinkedHashSet<>()).add(reference);
            }
            List<ImageSummary> images = client().images().list(all, digests, f);
            List<String[]> rows = new ArrayList<>();
            Set<String> seenIds = new LinkedHashSet<>();
            for (ImageSummary i : images) {
                String id = noTrunc ? i.id() : Fmt.shortId(i.id());
                String created = Fmt.ago(i.created());
                String size = Fmt.humanSize(i.size());
                List<String> tags = i.repoTags() == null ? List.of() : i.repoTags();
                String digest = i.repoDigests() == null || i.repoDigests().isEmpty() ? "<none>"
                        : i.repoDigests().getFirst().substring(i.repoDigests().getFirst().indexOf('@') + 1);
                if (tags.isEmpty() || tags.equals(List.of("<none>:<none>"))) {
                    rows.add(new String[] {"<none>", "<none>", digest, id, created, size});
                }
                for (String t : tags) {
                    if (t.equals("<none>:<none>")) {
                        continue;
                    }
                    int colon = t.lastIndexOf(':');
                    rows.add(new String[] {t.substring(0, colon), t.substring(colon + 1), digest, id, created, size});
                }
                seenIds.add(id);
            }
            if (quiet) {
                seenIds.forEach(out::println);
                return 0;
            }
            if (format != null) {
                Template tpl = new Template(Template.isTable(format) ? Template.stripTable(format) : format);
                for (String[] r : rows) {
                    out.println(tpl.render(Map.of("Repository", r[0], "Tag", r[1], "Digest", r[2], "ID", r[3],
                            "CreatedSince", r[4], "Size", r[5])));
                }
                return 0;
            }
            Table t = new Table();
            t.line(digests ? "REPOSITORY\tTAG\tDIGEST\tIMAGE ID\tCREATED\tSIZE" : "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE");
            for (String[] r : rows) {
                if (digests) {
                    t.row(r);
                } else {
                    t.row(r[0], r[1], r[3], r[4], r[5]);
                }
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "rmi", description = "Remove one or more images")
    static final class RmiCmd extends BaseCommand {
        @Option(names = {"-f", "--force"}) boolean force;
        @Option(names = "--no-prune") boolean noPrune;
        @Parameters(arity = "1..*", paramLabel = "IMAGE") List<String> images;

        @Override
        public Integer call() {
            return forEach(images, name -> {
                for (ImageDeleteItem d : client().images().remove(name, force, noPrune)) {
                    out.println(d.untagged() != null ? "Untagged: " + d.untagged() : "Deleted: " + d.deleted());
                }
            });
        }
    }

    @Command(name = "tag", description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")
    static final class TagCmd extends BaseCommand {
        @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]") String source;
        @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]") String target;

        @Override
        public Integer call() {
            String repo = target;
            String tag = null;
            int colon = target.lastIndexOf(':');
            if (colon > target.lastIndexOf('/')) {
                repo = target.substring(0, colon);
                tag = target.substring(colon + 1);
            }
            client().images().tag(source, repo, tag == null ? "latest" : tag);
            return 0;
        }
    }

    @Command(name = "save", description = "Save one or more images to a tar archive (streamed to STDOUT by default)")
    static final class SaveCmd extends BaseCommand {
        @Option(names = {"-o", "--output"}) String output;
        @Parameters(arity = "1..*", paramLabel = "IMAGE") List<String> images;

        @Override
        public Integer call() throws IOException {
            if (output == null && Terminal.isTerminal()) {
                err.println("cowardly refusing to save to a terminal. Use the -o flag or redirect");
                return 1;
            }
            try (HttpResponse r = client().images().save(images);
                 OutputStream o = output == null ? out : new FileOutputStream(output)) {
                r.body().transferTo(o);
                o.flush();
            }
            return 0;
        }
    }

    @Command(name = "load", description = "Load an image from a tar archive or STDIN")
    static final class LoadCmd extends BaseCommand {
        @Option(names = {"-i", "--input"}) String input;
        @Option(names = {"-q", "--quiet"}) boolean quiet;

        @Override
        public Integer call() throws IOException {
            try (InputStream in = input == null ? System.in : new FileInputStream(input)) {
                client().images().load(in, quiet, m -> print(m, out));
            }
            return 0;
        }
    }

    @Command(name = "import", description = "Import the contents from a tarball to create a filesystem image")
    static final class ImportCmd extends BaseCommand {
        @Option(names = {"-c", "--change"}) List<String> changes = new ArrayList<>();
        @Option(names = {"-m", "--message"}) String message;
        @Option(names = "--platform") String platform;
        @Parameters(index = "0", paramLabel = "file|URL|-") String source;
        @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]") String reference;

        @Override
        public Integer call() throws IOException {
            String repo = null;
            String tag = null;
            if (reference != null) {
                int colon = reference.lastIndexOf(':');
                if (colon > reference.lastIndexOf('/')) {
                    repo = reference.substring(0, colon);
                    tag = reference.substring(colon + 1);
                } else {
                    repo = reference;
                }
            }
            InputStream in = source.equals("-") ? System.in
                    : source.startsWith("http://") || source.startsWith("https://") ? URI.create(source).toURL().openStream()
                    : new FileInputStream(source);
            try (in) {
                client().images().importImage(in, repo, tag, changes, message, m -> print(m, out));
            }
            return 0;
        }
    }

    @Command(name = "pull", description = "Download an image from a registry")
    static final class PullCmd extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Option(names = {"-a", "--all-tags"}) boolean allTags;
        @Option(names = "--platform") String platform;
        @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]") String name;

        @Override
        public Integer call() {
            ImageRef ref = ImageRef.parse(name);
            boolean explicit = name.contains("@") || name.lastIndexOf(':') > name.lastIndexOf('/');
            if (!quiet && !explicit && !allTags) {
                out.println("Using default tag: latest");
            }
            Progress p = Progress.forStdout(out);
            client().images().pull(ref.repository(), allTags ? null : ref.tag(), platform, new Auth().headerFor(ref.repository()), m -> {
                if (!quiet) {
                    p.accept(m);
                }
            });
            out.println(ref.repository() + (ref.tag().startsWith("sha256:") ? "@" : ":") + ref.tag());
            return 0;
        }
    }

    @Command(name = "push", description = "Upload an image to a registry")
    static final class PushCmd extends BaseCommand {
        @Option(names = {"-q", "--quiet"}) boolean quiet;
        @Parameters(index = "0", paramLabel = "NAME[:TAG]") String name;

        @Override
        public Integer call() {
            ImageRef ref = ImageRef.parse(name);
            Progress p = Progress.forStdout(out);
            client().images().push(ref.repository(), ref.tag(), new Auth().headerFor(ref.repository()), m -> {
                if (!quiet) {
                    p.accept(m);
                }
            });
            return 0;
        }
    }

    static void print(JsonMessage m, java.io.PrintStream ps) {
        if (m.stream() != null) {
            ps.print(m.stream());
        } else if (m.status() != null) {
            ps.println((m.id() != null ? m.id() + ": " : "") + m.status());
        }
        ps.flush();
    }
}
