package dev.berth.registry;

import dev.berth.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The registry's on-disk layout, owned by this class alone (like distribution's paths.go):
 * <pre>
 * &lt;root&gt;/blobs/sha256/&lt;hex&gt;                                   content, verified before it appears
 * &lt;root&gt;/repositories/&lt;name&gt;/_layers/sha256/&lt;hex&gt;              blob linked into the repository
 * &lt;root&gt;/repositories/&lt;name&gt;/_manifests/revisions/sha256/&lt;hex&gt;  manifest in the repository; file holds its media type
 * &lt;root&gt;/repositories/&lt;name&gt;/_manifests/tags/&lt;tag&gt;/current      file holds the tagged digest
 * &lt;root&gt;/repositories/&lt;name&gt;/_uploads/&lt;uuid&gt;/data              upload in progress
 * &lt;root&gt;/_tmp/                                                  temp files for atomic writes
 * </pre>
 * Every write is temp file, fsync, atomic rename, so a crash leaves a loadable store. Names are
 * validated by the caller ({@link Names}). Thread-safe (the file system arbitrates; a blob commit
 * of identical content by two uploads is idempotent).
 */
public final class RegistryStorage {
    private final Path root;

    public RegistryStorage(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root.resolve("blobs/sha256"));
            Files.createDirectories(root.resolve("repositories"));
            Files.createDirectories(root.resolve("_tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path root() {
        return root;
    }

    // ---- paths

    public Path blobPath(Digest d) {
        return root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex());
    }

    private Path repo(String name) {
        return root.resolve("repositories").resolve(name);
    }

    private Path layerLink(String name, Digest d) {
        return repo(name).resolve("_layers").resolve(d.algorithm()).resolve(d.hex());
    }

    private Path revision(String name, Digest d) {
        return repo(name).resolve("_manifests/revisions").resolve(d.algorithm()).resolve(d.hex());
    }

    private Path tagCurrent(String name, String tag) {
        return repo(name).resolve("_manifests/tags").resolve(tag).resolve("current");
    }

    private Path upload(String name, String uuid) {
        return repo(name).resolve("_uploads").resolve(uuid);
    }

    // ---- atomic writes

    /** A fresh temp file on the store's file system. */
    public Path tempFile() throws IOException {
        return Files.createTempFile(root.resolve("_tmp"), "tmp-", "");
    }

    private void writeAtomic(Path target, byte[] data) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = tempFile();
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(data));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    // ---- blobs

    public boolean blobExists(Digest d) {
        return Files.isRegularFile(blobPath(d));
    }

    public long blobSize(Digest d) throws IOException {
        return Files.size(blobPath(d));
    }

    /** Moves a complete temp file into the blob store after checking it hashes to {@code expected}; false on mismatch (temp deleted). */
    public boolean commitBlob(Path temp, Digest expected) throws IOException {
        if (!hash(temp).equals(expected)) {
            Files.deleteIfExists(temp);
            return false;
        }
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Path target = blobPath(expected);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            Files.delete(temp); // same content already stored
        } else {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return true;
    }

    /** Stores bytes (a manifest) as a blob; returns their digest. */
    public Digest putBlob(byte[] bytes) throws IOException {
        Digest d = Digest.sha256(bytes);
        if (!blobExists(d)) {
            writeAtomic(blobPath(d), bytes);
        }
        return d;
    }

    public byte[] readBlob(Digest d) throws IOException {
        return Files.readAllBytes(blobPath(d));
    }

    public void deleteBlob(Digest d) throws IOException {
        Files.deleteIfExists(blobPath(d));
    }

    /** Every stored blob digest. */
    public List<Digest> allBlobs() throws IOException {
        List<Digest> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve("blobs/sha256"))) {
            for (Path p : ds) {
                String hex = p.getFileName().toString();
                if (Digest.isDigest("sha256:" + hex)) {
                    out.add(new Digest("sha256", hex));
                }
            }
        }
        return out;
    }

    static Digest hash(Path file) throws IOException {
        MessageDigest md = Digest.newSha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[64 << 10];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return Digest.ofSha256(md);
    }

    // ---- repository links

    public boolean repositoryExists(String name) {
        Path r = repo(name);
        return Files.isDirectory(r.resolve("_manifests")) || Files.isDirectory(r.resolve("_layers"));
    }

    public void linkLayer(String name, Digest d) throws IOException {
        writeAtomic(layerLink(name, d), d.toString().getBytes(StandardCharsets.UTF_8));
    }

    public boolean isLayerLinked(String name, Digest d) {
        return Files.isRegularFile(layerLink(name, d)) && blobExists(d);
    }

    public boolean unlinkLayer(String name, Digest d) throws IOException {
        return Files.deleteIfExists(layerLink(name, d));
    }

    public void linkManifest(String name, Digest d, String mediaType) throws IOException {
        writeAtomic(revision(name, d), mediaType.getBytes(StandardCharsets.UTF_8));
    }

    /** The media type of a manifest linked into the repository; empty when it is not. */
    public Optional<String> manifestMediaType(String name, Digest d) throws IOException {
        try {
            if (!blobExists(d)) {
                return Optional.empty();
            }
            return Optional.of(Files.readString(revision(name, d)).trim());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Removes a manifest revision and every tag pointing at it; false when it was not there. */
    public boolean unlinkManifest(String name, Digest d) throws IOException {
        boolean had = Files.deleteIfExists(revision(name, d));
        for (String tag : tags(name)) {
            if (resolveTag(name, tag).filter(d::equals).isPresent()) {
                untag(name, tag);
            }
        }
        return had;
    }

    public List<Digest> revisions(String name) throws IOException {
        Path dir = repo(name).resolve("_manifests/revisions/sha256");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(h -> Digest.isDigest("sha256:" + h))
                    .map(h -> new Digest("sha256", h)).sorted(Comparator.comparing(Digest::hex)).toList();
        }
    }

    // ---- tags

    public void tag(String name, String tag, Digest d) throws IOException {
        writeAtomic(tagCurrent(name, tag), d.toString().getBytes(StandardCharsets.UTF_8));
    }

    public Optional<Digest> resolveTag(String name, String tag) throws IOException {
        try {
            String s = Files.readString(tagCurrent(name, tag)).trim();
            return Digest.isDigest(s) ? Optional.of(Digest.parse(s)) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public boolean untag(String name, String tag) throws IOException {
        Path current = tagCurrent(name, tag);
        boolean had = Files.deleteIfExists(current);
        try {
            Files.deleteIfExists(current.getParent());
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            // something else lives there; leave it
        }
        return had;
    }

    /** Tags of a repository, sorted. */
    public List<String> tags(String name) throws IOException {
        Path dir = repo(name).resolve("_manifests/tags");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isRegularFile(p.resolve("current"))).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** All repository names, sorted. */
    public List<String> repositories() throws IOException {
        Path base = root.resolve("repositories");
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(base)) {
            s.filter(p -> Files.isDirectory(p) && (p.getFileName().toString().equals("_manifests") || p.getFileName().toString().equals("_layers")))
                    .map(p -> base.relativize(p.getParent()).toString())
                    .distinct().forEach(out::add);
        }
        return out.stream().distinct().sorted().toList();
    }

    // ---- uploads

    /** Starts an upload session; returns its id. */
    public String newUpload(String name) throws IOException {
        String uuid = UUID.randomUUID().toString();
        Path dir = upload(name, uuid);
        Files.createDirectories(dir);
        try {
            Files.createFile(dir.resolve("data"));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("upload id collision", e);
        }
        return uuid;
    }

    public boolean uploadExists(String name, String uuid) {
        return isUuid(uuid) && Files.isRegularFile(upload(name, uuid).resolve("data"));
    }

    private static boolean isUuid(String s) {
        return s != null && s.matches("[0-9a-f-]{36}");
    }

    public long uploadSize(String name, String uuid) throws IOException {
        return Files.size(upload(name, uuid).resolve("data"));
    }

    /** Appends a body to an upload; returns the new size. */
    public long appendUpload(String name, String uuid, InputStream body) throws IOException {
        Path data = upload(name, uuid).resolve("data");
        try (OutputStream out = Files.newOutputStream(data, StandardOpenOption.APPEND)) {
            body.transferTo(out);
        }
        return Files.size(data);
    }

    /** Commits an upload as {@code expected}; false (upload kept) on digest mismatch. */
    public boolean completeUpload(String name, String uuid, Digest expected) throws IOException {
        Path data = upload(name, uuid).resolve("data");
        Path tmp = tempFile();
        Files.move(data, tmp, StandardCopyOption.REPLACE_EXISTING);
        if (!commitBlob(tmp, expected)) {
            return false;
        }
        linkLayer(name, expected);
        deleteUpload(name, uuid);
        return true;
    }

    /** Deletes upload sessions not written to for longer than {@code maxAge}; returns how many. */
    public int purgeUploads(java.time.Duration maxAge) throws IOException {
        int n = 0;
        java.time.Instant cutoff = java.time.Instant.now().minus(maxAge);
        for (String repo : repositoriesWithUploads()) {
            Path dir = repo(repo).resolve("_uploads");
            try (Stream<Path> s = Files.list(dir)) {
                for (Path u : s.toList()) {
                    Path data = u.resolve("data");
                    if (!Files.exists(data) || Files.getLastModifiedTime(data).toInstant().isBefore(cutoff)) {
                        deleteUpload(repo, u.getFileName().toString());
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private List<String> repositoriesWithUploads() throws IOException {
        Path base = root.resolve("repositories");
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals("_uploads"))
                    .map(p -> base.relativize(p.getParent()).toString()).toList();
        }
    }

    public void deleteUpload(String name, String uuid) throws IOException {
        Path dir = upload(name, uuid);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
