package dev.berth.store;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Blobs by digest, as containerd's content store: {@code <root>/content/blobs/sha256/<hex>}.
 * A blob becomes visible only after its writer verified size and digest and renamed it into place,
 * so readers never see partial content. In-progress writes live in {@code <root>/content/ingest}
 * and are swept at construction. Thread-safe: writers are independent; committing the same
 * content twice is harmless.
 */
public final class ContentStore {
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");
    private final Path blobs;
    private final Path ingest;

    public ContentStore(Path root) {
        this.blobs = root.resolve("content/blobs/sha256");
        this.ingest = root.resolve("content/ingest");
        try {
            Files.createDirectories(blobs);
            Files.createDirectories(ingest);
            AtomicFiles.deleteTree(ingest);
            Files.createDirectories(ingest);
            AtomicFiles.sweepTemps(blobs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open content store at " + root, e);
        }
    }

    /** Starts a new blob; close without commit to abort. */
    public Writer writer() {
        try {
            return new Writer(ingest.resolve(UUID.randomUUID().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stores {@code data} and returns its digest. */
    public Digest put(byte[] data) {
        try (Writer w = writer()) {
            w.write(data);
            return w.commit(data.length, Digest.sha256(data));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean exists(Digest d) {
        return Files.isRegularFile(path(d));
    }

    /** The file of a committed blob (it may not exist). Callers must not write to it. */
    public Path path(Digest d) {
        if (!d.algorithm().equals("sha256")) {
            throw BerthException.invalid("unsupported digest algorithm %s", d.algorithm());
        }
        return blobs.resolve(d.hex());
    }

    public InputStream read(Digest d) {
        try {
            return Files.newInputStream(path(d));
        } catch (NoSuchFileException e) {
            throw BerthException.notFound("content %s: not found", d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] readAll(Digest d) {
        try (InputStream in = read(d)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long size(Digest d) {
        try {
            return Files.size(path(d));
        } catch (NoSuchFileException e) {
            throw BerthException.notFound("content %s: not found", d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a blob; absent is not an error. */
    public void delete(Digest d) {
        try {
            Files.deleteIfExists(path(d));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Digest> list() {
        List<Digest> out = new ArrayList<>();
        try (var s = Files.list(blobs)) {
            s.map(p -> p.getFileName().toString()).filter(n -> HEX.matcher(n).matches())
                    .forEach(n -> out.add(new Digest("sha256", n)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Streams one blob to an ingest file while hashing it. {@link #commit} verifies and publishes;
     * {@link #close} without commit deletes the ingest file. Not thread-safe (one writer, one thread).
     */
    public final class Writer extends OutputStream {
        private final Path file;
        private final FileChannel channel;
        private final MessageDigest md = Digest.newSha256();
        private long written;
        private boolean done;
        private Digest verified;

        private Writer(Path file) throws IOException {
            this.file = file;
            this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (done || verified != null) {
                throw new IllegalStateException("writer already finished");
            }
            md.update(b, off, len);
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            written += len;
        }

        public long written() {
            return written;
        }

        /**
         * Verifies and publishes the blob. {@code expectedSize} &lt; 0 and {@code expected} null skip
         * the respective check. A mismatch is INVALID_ARGUMENT and discards the data.
         */
        public Digest commit(long expectedSize, Digest expected) throws IOException {
            verify(expectedSize, expected);
            return publish();
        }

        /**
         * The first half of {@link #commit}: makes the data durable and checks it, without making it
         * visible; {@link #publish} (or {@link #close} to discard) follows. Why split: a pull unpacks
         * layers concurrently but may only publish them once every layer below is in place.
         * A mismatch is INVALID_ARGUMENT and discards the data.
         */
        public Digest verify(long expectedSize, Digest expected) throws IOException {
            if (done || verified != null) {
                throw new IllegalStateException("writer already finished");
            }
            try {
                channel.force(true);
                channel.close();
                Digest actual = Digest.ofSha256(md);
                if (expectedSize >= 0 && expectedSize != written) {
                    throw BerthException.invalid("unexpected commit size %d, expected %d", written, expectedSize);
                }
                if (expected != null && !expected.equals(actual)) {
                    throw BerthException.invalid("unexpected commit digest %s, expected %s", actual, expected);
                }
                verified = actual;
                return actual;
            } catch (IOException | RuntimeException e) {
                done = true;
                Files.deleteIfExists(file);
                throw e;
            }
        }

        /** Publishes data {@link #verify verified} before; returns its digest. */
        public Digest publish() throws IOException {
            if (done || verified == null) {
                throw new IllegalStateException(done ? "writer already finished" : "writer not verified");
            }
            done = true;
            try {
                Path target = path(verified);
                if (Files.exists(target)) {
                    return verified;
                }
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDir(blobs);
                return verified;
            } finally {
                Files.deleteIfExists(file);
            }
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                done = true;
                channel.close(); // no-op when verify() closed it
                Files.deleteIfExists(file);
            }
        }
    }
}
