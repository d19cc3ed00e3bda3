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
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ImageSummary i : images) {
                rows.addAll(rows(i));
            }
            if (quiet) {
                rows.forEach(r -> out.println(r.get("ID")));
                return 0;
            }
            if (format != null) {
                boolean table = Template.isTable(format);
                Template tpl = new Template(table ? Template.stripTable(format) : format);
                Table t = new Table();
                if (table) {
                    t.line(Template.stripTable(format).replace("\\t", "\t").replace("{{.Repository}}", "REPOSITORY")
                            .replace("{{.Tag}}", "TAG").replace("{{.Digest}}", "DIGEST").replace("{{.ID}}", "IMAGE ID")
                            .replace("{{.CreatedSince}}", "CREATED").replace("{{.CreatedAt}}", "CREATED AT")
                            .replace("{{.Size}}", "SIZE").replace("{{.Containers}}", "CONTAINERS"));
                }
                for (Map<String, Object> r : rows) {
                    if (table) {
                        t.line(tpl.render(r));
                    } else {
                        out.println(tpl.render(r));
                    }
                }
                if (table) {
                    t.print(out);
                }
                return 0;
            }
            Table t = new Table();
            t.line(digests ? "REPOSITORY\tTAG\tDIGEST\tIMAGE ID\tCREATED\tSIZE" : "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tSIZE");
            for (Map<String, Object> r : rows) {
                if (digests) {
                    t.row((String) r.get("Repository"), (String) r.get("Tag"), (String) r.get("Digest"),
                            (String) r.get("ID"), (String) r.get("CreatedSince"), (String) r.get("Size"));
                } else {
                    t.row((String) r.get("Repository"), (String) r.get("Tag"), (String) r.get("ID"),
                            (String) r.get("CreatedSince"), (String) r.get("Size"));
                }
            }
            t.print(out);
            return 0;
        }

        /** docker's rows for one image: one per tag, then one per digest-only repository, else one "<none>" row. */
        private List<Map<String, Object>> rows(ImageSummary i) {
            Map<String, List<String>> repoTags = new java.util.LinkedHashMap<>();
            Map<String, List<String>> repoDigests = new java.util.LinkedHashMap<>();
            for (String t : i.repoTags() == null ? List.<String>of() : i.repoTags()) {
                if (t.equals("<none>:<none>")) {
                    continue;
                }
                int colon = t.lastIndexOf(':');
                repoTags.computeIfAbsent(t.substring(0, colon), k -> new ArrayList<>()).add(t.substring(colon + 1));
            }
            for (String d : i.repoDigests() == null ? List.<String>of() : i.repoDigests()) {
                if (d.equals("<none>@<none>")) {
                    continue;
                }
                int at = d.indexOf('@');
                repoDigests.computeIfAbsent(d.substring(0, at), k -> new ArrayList<>()).add(d.substring(at + 1));
            }
            List<Map<String, Object>> out = new ArrayList<>();
            repoTags.forEach((repo, tags) -> {
                List<String> ds = repoDigests.remove(repo);
                for (String tag : tags) {
                    if (!digests || ds == null || ds.isEmpty()) {
                        out.add(row(i, repo, tag, "<none>"));
                    } else {
                        ds.forEach(d -> out.add(row(i, repo, tag, d)));
                    }
                }
            });
            repoDigests.forEach((repo, ds) -> {
                if (digests) {
                    ds.forEach(d -> out.add(row(i, repo, "<none>", d)));
                } else {
                    out.add(row(i, repo, "<none>", "<none>"));
                }
            });
            if (out.isEmpty()) {
                out.add(row(i, "<none>", "<none>", "<none>"));
            }
            return out;
        }

        private Map<String, Object> row(ImageSummary i, String repo, String tag, String digest) {
            Map<String, Object> m = new java.util.TreeMap<>();
            m.put("Containers", i.containers() < 0 ? "N/A" : String.valueOf(i.containers()));
            m.put("CreatedAt", PsCmd.CREATED_AT.format(java.time.Instant.ofEpochSecond(i.created())));
            m.put("CreatedSince", Fmt.ago(i.created()));
            m.put("Digest", digest);
            m.put("ID", noTrunc ? i.id() : Fmt.shortId(i.id()));
            m.put("Repository", repo);
            m.put("SharedSize", i.sharedSize() < 0 ? "N/A" : Fmt.humanSize(i.sharedSize()));
            m.put("Size", Fmt.humanSize(i.size()));
            m.put("Tag", tag);
            m.put("UniqueSize", i.sharedSize() < 0 ? "N/A" : Fmt.humanSize(i.size() - i.sharedSize()));
            m.put("VirtualSize", Fmt.humanSize4(i.size()));
            return m;
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
