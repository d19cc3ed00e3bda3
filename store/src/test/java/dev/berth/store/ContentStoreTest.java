package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {
    @TempDir Path root;

    @Test
    void writesVerifiesAndReads() throws IOException {
        ContentStore cs = new ContentStore(root);
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Digest d = cs.put(data);
        assertThat(d).isEqualTo(Digest.sha256(data));
        assertThat(cs.exists(d)).isTrue();
        assertThat(cs.readAll(d)).isEqualTo(data);
        assertThat(cs.size(d)).isEqualTo(5);
        assertThat(cs.list()).containsExactly(d);
        assertThat(root.resolve("content/blobs/sha256/" + d.hex())).exists();
        cs.delete(d);
        assertThat(cs.exists(d)).isFalse();
        assertThatThrownBy(() -> cs.readAll(d)).isInstanceOf(BerthException.class)
                .extracting(e -> ((BerthException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND);
    }

    @Test
    void rejectsWrongDigestOrSizeAndLeavesNothing() throws IOException {
        ContentStore cs = new ContentStore(root);
        try (ContentStore.Writer w = cs.writer()) {
            w.write("abc".getBytes());
            assertThatThrownBy(() -> w.commit(3, Digest.sha256("xyz".getBytes())))
                    .hasMessageContaining("unexpected commit digest");
        }
        try (ContentStore.Writer w = cs.writer()) {
            w.write("abc".getBytes());
            assertThatThrownBy(() -> w.commit(4, null)).hasMessageContaining("unexpected commit size");
        }
        try (ContentStore.Writer w = cs.writer()) {
            w.write("aborted".getBytes());
        }
        assertThat(cs.list()).isEmpty();
        try (var s = Files.list(root.resolve("content/ingest"))) {
            assertThat(s.count()).isZero();
        }
    }

    @Test
    void committingTwiceIsHarmlessAndIngestIsSweptOnOpen() throws IOException {
        ContentStore cs = new ContentStore(root);
        Digest a = cs.put("x".getBytes());
        Digest b = cs.put("x".getBytes());
        assertThat(a).isEqualTo(b);
        Files.writeString(root.resolve("content/ingest/leftover"), "partial");
        new ContentStore(root);
        assertThat(root.resolve("content/ingest/leftover")).doesNotExist();
    }

    @Test
    void verifiedButUnpublishedDataStaysInvisibleUntilPublishOrIsDiscardedOnClose() throws IOException {
        ContentStore cs = new ContentStore(root);
        byte[] data = "layer".getBytes(StandardCharsets.UTF_8);
        Digest d;
        try (ContentStore.Writer w = cs.writer()) {
            w.write(data);
            d = w.verify(data.length, Digest.sha256(data));
            assertThat(cs.exists(d)).isFalse();
            assertThat(w.publish()).isEqualTo(d);
        }
        assertThat(cs.readAll(d)).isEqualTo(data);
        cs.delete(d);
        try (ContentStore.Writer w = cs.writer()) {
            w.write(data);
            w.verify(-1, null);
        }
        assertThat(cs.exists(d)).isFalse();
        try (ContentStore.Writer w = cs.writer()) {
            w.write(data);
            assertThatThrownBy(() -> w.verify(-1, Digest.sha256("x".getBytes()))).hasMessageContaining("unexpected commit digest");
            assertThatThrownBy(w::publish).isInstanceOf(IllegalStateException.class);
        }
        try (var s = Files.list(root.resolve("content/ingest"))) {
            assertThat(s.count()).isZero();
        }
    }
}
