package dev.berth.builder.exec;

import dev.berth.builder.cache.CacheKeys;
import dev.berth.builder.instructions.Instruction;
import dev.berth.builder.parse.DockerfileParser;
import dev.berth.builder.parse.Heredoc;
import dev.berth.common.Digest;
import dev.berth.common.Ids;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RUN for {@link StageRun}: refuses BuildKit-only flags, builds argv (shell form through SHELL,
 * here-documents handed to the shell), history text with build args ({@code |N K=V …}), cache
 * probe, run, commit, clean-up.
 */
final class RunStep {
    private final StageRun s;

    RunStep(StageRun s) {
        this.s = s;
    }

    void run(Instruction.Run r) {
        List<BuildWorker.RunMount> mounts = List.of();
        for (String flag : r.flagsUsed()) {
            // --mount only where the build enabled it (berth's CLI); the docker CLI gets dockerd's error
            if (!flag.equals("mount") || s.opts.runMounts() == null) {
                throw StageRun.buildkitOnly(flag);
            }
        }
        if (s.opts.runMounts() != null && !r.mounts().isEmpty()) {
            List<String> specs = new ArrayList<>();
            for (String m : r.mounts()) {
                specs.add(s.lex.processWord(m, s.substitutionEnv()));
            }
            mounts = s.opts.runMounts().parseAll(specs);
        }
        List<String> argv;
        if (r.command().execForm()) {
            argv = r.command().args();
        } else {
            argv = new ArrayList<>(s.cfg.shellOrDefault());
            argv.add(shellLine(r));
        }
        Map<String, String> env = s.cfg.envMap();
        Map<String, String> visible = s.args.visible(env);
        Map<String, String> history = s.args.forHistory(env);
        List<String> saveCmd = new ArrayList<>();
        if (!visible.isEmpty()) {
            saveCmd.add("|" + history.size());
            history.forEach((k, v) -> saveCmd.add(k + "=" + v));
        }
        saveCmd.addAll(argv);
        String createdBy = String.join(" ", saveCmd);
        // the kind and place of each mount count (a cache dir's content and a secret's value do not,
        // as in BuildKit)
        StringBuilder mountKey = new StringBuilder();
        for (BuildWorker.RunMount m : mounts) {
            mountKey.append(switch (m) {
                case BuildWorker.RunMount.Cache c -> "\ncache:" + c.id() + ":" + c.target() + ":" + c.readOnly();
                case BuildWorker.RunMount.Secret sec -> "\nsecret:" + sec.id() + ":" + sec.target();
            });
        }
        String key = CacheKeys.key(s.imageId, createdBy + mountKey, null, history);
        if (s.probeCache(key, createdBy)) {
            return;
        }
        List<String> runEnv = new ArrayList<>(s.cfg.env);
        visible.forEach((k, v) -> runEnv.add(k + "=" + v));
        BuildWorker.RunRequest req = new BuildWorker.RunRequest(s.imageId, argv, runEnv, s.cfg.user, s.cfg.workingDir,
                s.opts.networkMode(), s.opts.resources(), mounts);
        BuildWorker.RunResult res = s.worker.run(req,
                cid -> s.out.stream(" ---> Running in " + Ids.shortId(cid) + "\n"), s.out);
        if (res.exitCode() != 0) {
            // unlike classic dockerd without forcerm, a failed RUN never leaves its container (and
            // its writable layer) behind: nothing could resume from it, and the build cache keeps
            // only the images of the steps that succeeded
            s.worker.removeContainer(res.containerId());
            throw new CommandFailedException(String.join(" ", argv), res.exitCode());
        }
        String newId = s.worker.commitContainer(res.containerId(), s.commitRequest(createdBy, key));
        s.removeIntermediate(res.containerId());
        s.imageId = newId;
    }

    /**
     * A RUN that is only a here-document runs its body with the shell; a body with a {@code #!}
     * line is written to a temporary file and executed, so that its interpreter runs it (as
     * BuildKit does).
     */
    static String script(String content) {
        if (!content.startsWith("#!")) {
            return content;
        }
        String delim = "BERTH_EOF_" + Digest.sha256(content.getBytes(StandardCharsets.UTF_8)).hex().substring(0, 12);
        return "__berth_f=$(mktemp) && cat > \"$__berth_f\" <<'" + delim + "'\n" + content + delim + "\n"
                + "chmod +x \"$__berth_f\" && \"$__berth_f\"; __berth_rc=$?; rm -f \"$__berth_f\"; exit $__berth_rc";
    }

    /** The shell-form command line, with here-documents handed to the shell as it reads them. */
    private String shellLine(Instruction.Run r) {
        String line = r.command().args().getFirst();
        if (r.heredocs().isEmpty()) {
            return line;
        }
        if (DockerfileParser.isOnlyHeredoc(line, s.escape)) {
            return script(r.heredocs().getFirst().content());
        }
        StringBuilder sb = new StringBuilder(line);
        for (Heredoc h : r.heredocs()) {
            sb.append('\n').append(h.content()).append(h.name());
        }
        return sb.toString();
    }

}
