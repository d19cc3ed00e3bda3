package dev.berth.builder.exec;

import dev.berth.builder.cache.CacheKeys;
import dev.berth.builder.context.ContextEntry;
import dev.berth.builder.context.ContextSources;
import dev.berth.builder.exec.Builder.StageResult;
import dev.berth.builder.instructions.Instruction;
import dev.berth.builder.parse.DockerfileParser;
import dev.berth.builder.parse.Heredoc;
import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** COPY and ADD for {@link StageRun}: source resolution, checksums, history text, cache, copy. */
final class CopyStep {
    private static final Set<String> COPY_BUILDKIT_ONLY = Set.of("chmod", "link", "parents", "exclude");
    private static final Set<String> ADD_BUILDKIT_ONLY =
            Set.of("chmod", "link", "checksum", "keep-git-dir", "unpack", "exclude");

    private final StageRun s;

    CopyStep(StageRun s) {
        this.s = s;
    }

    void copy(Instruction.Copy c) {
        check(c.flagsUsed(), COPY_BUILDKIT_ONLY);
        perform("COPY", c.sources(), c.dest(), c.from(), c.chown(), c.heredocs(), false);
    }

    void add(Instruction.Add a) {
        check(a.flagsUsed(), ADD_BUILDKIT_ONLY);
        perform("ADD", a.sources(), a.dest(), null, a.chown(), a.heredocs(), true);
    }

    private static void check(List<String> used, Set<String> buildkitOnly) {
        for (String f : used) {
            if (buildkitOnly.contains(f)) {
                throw StageRun.buildkitOnly(f);
            }
        }
    }

    private record Resolved(BuildWorker.CopySource source, String checksum, String kind, int count) {}

    private void perform(String cmd, List<String> rawSources, String rawDest, String rawFrom, String rawChown,
                         List<Heredoc> heredocs, boolean isAdd) {
        Map<String, String> env = s.substitutionEnv();
        String dest = s.lex.processWord(rawDest, env);
        String chown = rawChown == null ? null : s.lex.processWord(rawChown, env);
        String from = rawFrom == null ? null : s.lex.processWord(rawFrom, env);
        String destination = normalizeDest(s.cfg.workingDir, dest);

        List<Resolved> resolved = new ArrayList<>();
        try {
            if (from != null) {
                String srcImage = sourceImage(from);
                for (String raw : rawSources) {
                    String src = s.lex.processWord(raw, env);
                    resolved.add(new Resolved(new BuildWorker.CopySource.FromImage(srcImage, src),
                            sha("from\0" + srcImage + "\0" + src), "file", 1));
                }
            } else {
                ContextSources sources = new ContextSources(s.context);
                for (String raw : rawSources) {
                    resolved.add(resolve(raw, env, heredocs, sources, isAdd));
                }
            }
        } catch (BerthException e) {
            if (e.kind() == ErrorKind.INVALID_ARGUMENT && !e.getMessage().startsWith(cmd + " failed")) {
                throw new BerthException(e.kind(), cmd + " failed: " + e.getMessage(), e);
            }
            throw e;
        }
        int count = resolved.stream().mapToInt(Resolved::count).sum();
        boolean destIsDir = dest.endsWith("/") || count > 1;
        if (count > 1 && !dest.endsWith("/")) {
            throw BerthException.invalid(
                    "When using %s with more than one source file, the destination must be a directory and end with a /",
                    cmd);
        }
        String hash = resolved.size() == 1 ? resolved.getFirst().kind() + ":" + resolved.getFirst().checksum()
                : "multi:" + CacheKeys.combine(resolved.stream().map(Resolved::checksum).toList());
        String comment = cmd + " " + hash + " in " + destination + " ";
        String createdBy = String.join(" ", s.cfg.shellOrDefault()) + " #(nop) " + comment;
        String key = CacheKeys.key(s.imageId, createdBy + "\nchown=" + chown + "\nfrom=" + (from != null),
                CacheKeys.combine(resolved.stream().map(Resolved::checksum).toList()), Map.of());
        if (s.probeCache(key, createdBy)) {
            return;
        }
        BuildWorker.CopyRequest req = new BuildWorker.CopyRequest(s.commitRequest(createdBy, key),
                resolved.stream().map(Resolved::source).toList(), destination, destIsDir, chown,
                from != null && chown == null, isAdd);
        s.imageId = s.worker.copy(req);
    }

    private Resolved resolve(String raw, Map<String, String> env, List<Heredoc> heredocs, ContextSources sources,
                             boolean isAdd) {
        if (DockerfileParser.isHeredocWord(raw)) {
            String name = DockerfileParser.heredocName(raw, s.escape);
            Heredoc h = heredocs.stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElseThrow(() -> BerthException.invalid("no heredoc named %s", name));
            String content = h.expand() ? s.lex.processHeredoc(h.content(), env) : h.content();
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            return new Resolved(new BuildWorker.CopySource.Inline(name, bytes), sha(bytes), "file", 1);
        }
        String src = s.lex.processWord(raw, env);
        if (isAdd && isUrl(src)) {
            if (isGit(src)) {
                throw new BerthException(ErrorKind.NOT_IMPLEMENTED,
                        "ADD from a Git repository is not supported by the classic builder: " + src);
            }
            BuildWorker.Download d = s.worker.download(src, s.out);
            return new Resolved(new BuildWorker.CopySource.Downloaded(d.name(), d.file(), d.mtimeMillis()),
                    fileSha(d), "file", 1);
        }
        if (isGit(src)) {
            throw new BerthException(ErrorKind.NOT_IMPLEMENTED, "COPY does not support Git sources: " + src);
        }
        List<ContextEntry> roots = sources.resolve(src);
        List<ContextEntry> files = sources.expand(roots);
        String kind = roots.size() == 1 ? (roots.getFirst().isDirectory() ? "dir" : "file") : "multi";
        return new Resolved(new BuildWorker.CopySource.Context(src, roots, files, s.context), sources.checksum(roots),
                kind, roots.size());
    }

    private String sourceImage(String from) {
        Optional<Integer> stage = s.graph.stageRef(from);
        if (stage.isPresent()) {
            StageResult r = s.results.get(stage.get());
            if (r == null || stage.get() == s.stage.index()) {
                throw BerthException.invalid("invalid from flag value %s: refers to current build stage", from);
            }
            if (r.imageId() == null) {
                throw BerthException.invalid("invalid from flag value %s: stage has no image", from);
            }
            return r.imageId();
        }
        return s.worker.resolveImage(from, s.opts.platform(), false, s.out).id();
    }

    static boolean isUrl(String s) {
        return s.startsWith("http://") || s.startsWith("https://");
    }

    static boolean isGit(String s) {
        return s.startsWith("git@") || s.startsWith("git://") || (isUrl(s) && (s.endsWith(".git") || s.contains(".git#")));
    }

    /** moby's normalizeDest: relative to WORKDIR, trailing slash preserved. */
    static String normalizeDest(String workingDir, String requested) {
        if (requested.startsWith("/")) {
            return requested;
        }
        String wd = workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
        String joined = dev.berth.builder.context.GoPath.clean("/" + wd + "/" + requested);
        if (requested.endsWith("/") && !joined.endsWith("/")) {
            joined += "/";
        }
        return joined;
    }

    private static String sha(String text) {
        return sha(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha(byte[] bytes) {
        return Digest.sha256(bytes).hex();
    }

    private static String fileSha(BuildWorker.Download d) {
        MessageDigest md = Digest.newSha256();
        try (InputStream in = Files.newInputStream(d.file())) {
            byte[] buf = new byte[64 * 1024];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
