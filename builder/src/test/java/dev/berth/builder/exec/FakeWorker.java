package dev.berth.builder.exec;

import dev.berth.builder.context.ContextSources;
import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.oci.image.ContainerConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/** An in-memory {@link BuildWorker}: images are records, RUN output and exit codes are scripted. */
final class FakeWorker implements BuildWorker {
    record Image(String id, String parent, ContainerConfig config, String createdBy, String author,
                 List<String> files) {}

    final Map<String, Image> images = new LinkedHashMap<>();
    final Map<String, String> refs = new HashMap<>();
    final Map<String, String> cache = new HashMap<>();
    final List<RunRequest> runs = new ArrayList<>();
    final List<CopyRequest> copies = new ArrayList<>();
    final List<String> mkdirs = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    final List<String> pulls = new ArrayList<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    Function<RunRequest, Integer> exitCodes = r -> r.argv().getLast().contains("exit 3") ? 3 : 0;
    boolean configContainers = true;
    private int counter;

    FakeWorker() {
        addBase("busybox", new ContainerConfig(null, null, List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
                null, List.of("sh"), null, null, null, null, null, null, null, null));
    }

    String addBase(String ref, ContainerConfig config) {
        String id = "sha256:" + Digest.sha256(("base:" + ref).getBytes(StandardCharsets.UTF_8)).hex();
        images.put(id, new Image(id, null, config, "base", null, List.of()));
        refs.put(ref, id);
        return id;
    }

    private String newId(String seed) {
        return "sha256:" + Digest.sha256((seed + "#" + (counter++)).getBytes(StandardCharsets.UTF_8)).hex();
    }

    private String newContainerId() {
        return Digest.sha256(("container#" + (counter++)).getBytes(StandardCharsets.UTF_8)).hex();
    }

    @Override
    public BaseImage resolveImage(String reference, String platform, boolean pull, BuildOutput out) {
        pulls.add(reference);
        String id = refs.get(reference);
        if (id == null && images.containsKey(reference)) {
            id = reference;
        }
        if (id == null) {
            throw BerthException.notFound("pull access denied for %s, repository does not exist or may require 'docker login'",
                    reference);
        }
        Image i = images.get(id);
        return new BaseImage(id, i.config(), i.author());
    }

    @Override
    public Optional<String> findCached(String cacheKey) {
        return Optional.ofNullable(cache.get(cacheKey)).filter(images::containsKey);
    }

    @Override
    public RunResult run(RunRequest request, Consumer<String> onCreated, BuildOutput out) {
        runs.add(request);
        String cid = newContainerId();
        onCreated.accept(cid);
        String cmd = request.argv().getLast();
        if (cmd.startsWith("echo ")) {
            out.stream(cmd.substring(5) + "\n");
        }
        return new RunResult(cid, exitCodes.apply(request));
    }

    private String store(CommitRequest c, List<String> files) {
        String id = newId(c.createdBy());
        images.put(id, new Image(id, c.parentImageId(), c.config(), c.createdBy(), c.author(), files));
        cache.put(c.cacheKey(), id);
        return id;
    }

    @Override
    public String commitContainer(String containerId, CommitRequest commit) {
        return store(commit, List.of());
    }

    @Override
    public void removeContainer(String containerId) {
        removed.add(containerId);
    }

    @Override
    public ConfigCommit commitConfig(CommitRequest commit, String createDirectory) {
        if (createDirectory != null) {
            mkdirs.add(createDirectory);
        }
        return new ConfigCommit(store(commit, List.of()), configContainers ? newContainerId() : null);
    }

    @Override
    public String copy(CopyRequest request) {
        copies.add(request);
        List<String> files = new ArrayList<>();
        for (CopySource s : request.sources()) {
            switch (s) {
                case CopySource.Context c -> CopyLayout.layout(new ContextSources(c.context()), c.roots(),
                        request.destination(), request.destinationIsDirectory()).forEach(t -> files.add(t.path()));
                case CopySource.Inline i -> files.add(request.destination().endsWith("/")
                        ? request.destination() + i.name() : request.destination());
                case CopySource.FromImage f -> files.add("from:" + f.imageId() + ":" + f.path());
                case CopySource.Downloaded d -> files.add(d.name());
            }
        }
        return store(request.commit(), files);
    }

    @Override
    public Download download(String url, BuildOutput out) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("berth-download", "");
            java.nio.file.Files.writeString(f, "downloaded:" + url);
            f.toFile().deleteOnExit();
            return new Download(f, url.substring(url.lastIndexOf('/') + 1), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String tag(String imageId, String reference) {
        String name = reference.contains(":") ? reference : reference + ":latest";
        tags.put(name, imageId);
        return name;
    }

    Image image(String id) {
        return images.get(id);
    }
}
