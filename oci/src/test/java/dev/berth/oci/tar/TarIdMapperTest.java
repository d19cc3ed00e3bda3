package dev.berth.oci.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

class TarIdMapperTest {
    private static final IdMapping REMAP = IdMapping.of(0, 100000, 65536);
    private static final String LONG = "d/" + "x".repeat(150) + "/long-file-name-past-the-ustar-limit";

    /** One member as written and as read back. */
    record M(String name, byte type, long uid, long gid, String content, String link, int mode) {
        static M dir(String n, long uid, long gid) {
            return new M(n, TarConstants.LF_DIR, uid, gid, null, null, 0755);
        }

        static M file(String n, long uid, long gid, String content) {
            return new M(n, TarConstants.LF_NORMAL, uid, gid, content, null, 04755);
        }

        M withIds(long u, long g) {
            return new M(name, type, u, g, content, link, mode);
        }
    }

    private static byte[] tar(List<M> members) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        write(members, bytes);
        return bytes.toByteArray();
    }

    private static void write(List<M> members, OutputStream sink) throws IOException {
        TarArchiveOutputStream t = new TarArchiveOutputStream(sink, "UTF-8");
        t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        t.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        t.setAddPaxHeadersForNonAsciiNames(true);
        for (M m : members) {
            TarArchiveEntry e = new TarArchiveEntry(m.name(), m.type());
            e.setUserId(m.uid());
            e.setGroupId(m.gid());
            e.setMode(m.mode());
            e.setModTime(new Date(1_700_000_000_000L));
            if (m.link() != null) {
                e.setLinkName(m.link());
            }
            byte[] data = m.content() == null ? new byte[0] : m.content().getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        t.finish();
        t.flush();
    }

    private static List<M> read(InputStream in) throws IOException {
        List<M> out = new ArrayList<>();
        TarArchiveInputStream t = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        while ((e = t.getNextEntry()) != null) {
            String link = e.isSymbolicLink() || e.isLink() ? e.getLinkName() : null;
            byte type = e.isDirectory() ? TarConstants.LF_DIR : e.isSymbolicLink() ? TarConstants.LF_SYMLINK
                    : e.isLink() ? TarConstants.LF_LINK : e.isFIFO() ? TarConstants.LF_FIFO : TarConstants.LF_NORMAL;
            String content = type == TarConstants.LF_NORMAL ? summary(new String(t.readAllBytes(), StandardCharsets.UTF_8)) : null;
            String name = e.isDirectory() && e.getName().endsWith("/") ? e.getName().substring(0, e.getName().length() - 1) : e.getName();
            out.add(new M(name, type, e.getLongUserId(), e.getLongGroupId(), content, link, e.getMode() & 07777));
        }
        return out;
    }

    /** Long contents compare by length and hash, so a failure stays readable. */
    private static String summary(String s) {
        return s.length() <= 100 ? s : s.length() + " bytes, hash " + s.hashCode();
    }

    private static List<M> sample(long base) {
        return List.of(
                M.dir("d", base, base),
                M.file("d/f", base + 1000, base + 50, "hello"),
                M.file(LONG, base + 7, base + 7, "long"),
                M.file("d/grüße.txt", base, base, "non-ascii"),
                new M("d/link", TarConstants.LF_SYMLINK, base, base, null, "f", 0777),
                new M("d/hard", TarConstants.LF_LINK, base + 1000, base + 50, null, "d/f", 04755),
                new M("d/fifo", TarConstants.LF_FIFO, base + 2, base + 3, null, null, 0600),
                M.file("d/big", base, base, "b".repeat(70_000)));
    }

    /** {@link #sample} as {@link #read} returns it. */
    private static List<M> expected(long base) {
        return sample(base).stream().map(m -> m.content() == null ? m
                : new M(m.name(), m.type(), m.uid(), m.gid(), summary(m.content()), m.link(), m.mode())).toList();
    }

    private static List<M> shifted(List<M> ms, long by) {
        return ms.stream().map(m -> m.withIds(m.uid() + by, m.gid() + by)).toList();
    }

    // ---- outgoing: host ids → container ids

    @Test
    void outgoingHeadersGetContainerIdsAndEverythingElseStays() throws IOException {
        List<M> host = sample(100000);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream o = TarIdMapper.toContainer(sink, REMAP, TarIdMapper.Unmapped.FAIL)) {
            write(host, o);
        }
        assertThat(read(new ByteArrayInputStream(sink.toByteArray()))).isEqualTo(expected(0));
        // the same bytes as the tar of the same tree on an unremapped daemon
        assertThat(sink.toByteArray()).isEqualTo(tar(sample(0)));
    }

    @Test
    void outgoingWorksWhateverTheWriteSizes() throws IOException {
        byte[] hostTar = tar(sample(100000));
        for (int step : new int[] {1, 7, 511, 512, 513, 4096}) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            OutputStream o = TarIdMapper.toContainer(sink, REMAP, TarIdMapper.Unmapped.FAIL);
            for (int i = 0; i < hostTar.length; i += step) {
                o.write(hostTar, i, Math.min(step, hostTar.length - i));
            }
            o.close();
            assertThat(read(new ByteArrayInputStream(sink.toByteArray()))).as("step " + step).isEqualTo(expected(0));
        }
    }

    @Test
    void outgoingRewritesPaxIdRecords() throws IOException {
        // ids past 7 octal digits go into PAX records; so does a long name in the same header
        IdMapping high = IdMapping.of(0, 3_000_000, 65536);
        List<M> host = List.of(M.file(LONG, 3_000_000 + 1000, 3_000_000 + 2000, "x"),
                M.file("short", 3_000_000, 3_000_000, "y"));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream o = TarIdMapper.toContainer(sink, high, TarIdMapper.Unmapped.FAIL)) {
            write(host, o);
        }
        assertThat(read(new ByteArrayInputStream(sink.toByteArray())))
                .containsExactly(M.file(LONG, 1000, 2000, "x"), M.file("short", 0, 0, "y"));
    }

    @Test
    void outgoingToLargeContainerIdsUsesBase256() throws IOException {
        IdMapping up = IdMapping.of(2_500_000, 0, 10);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream o = TarIdMapper.toContainer(sink, up, TarIdMapper.Unmapped.FAIL)) {
            write(List.of(M.file("f", 1, 2, "z")), o);
        }
        assertThat(read(new ByteArrayInputStream(sink.toByteArray())))
                .containsExactly(M.file("f", 2_500_001, 2_500_002, "z"));
    }

    @Test
    void outgoingUnmappableIdsFailOrOverflow() throws IOException {
        List<M> host = List.of(M.file("ok", 100000, 100000, "a"), M.file("foreign", 1000, 100000, "b"));
        assertThatThrownBy(() -> write(host, TarIdMapper.toContainer(new ByteArrayOutputStream(), REMAP, TarIdMapper.Unmapped.FAIL)))
                .isInstanceOf(BerthException.class).hasMessage("host ID 1000 cannot be mapped to a container ID");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream o = TarIdMapper.toContainer(sink, REMAP, TarIdMapper.Unmapped.OVERFLOW)) {
            write(host, o);
        }
        assertThat(read(new ByteArrayInputStream(sink.toByteArray())))
                .containsExactly(M.file("ok", 0, 0, "a"), M.file("foreign", 65534, 0, "b"));
    }

    @Test
    void outgoingWhiteoutsAreMappedWhereTheyCanBeAndNeverFail() throws IOException {
        List<M> host = List.of(M.dir("d", 100000, 100000), M.file("d/.wh.gone", 0, 0, null),
                M.file("d/.wh..wh..opq", 100000, 100000, null), M.file(".wh.top", 100001, 100001, null));
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream o = TarIdMapper.toContainer(sink, REMAP, TarIdMapper.Unmapped.FAIL)) {
            write(host, o);
        }
        assertThat(read(new ByteArrayInputStream(sink.toByteArray()))).containsExactly(M.dir("d", 0, 0),
                M.file("d/.wh.gone", 0, 0, ""), M.file("d/.wh..wh..opq", 0, 0, ""), M.file(".wh.top", 1, 1, ""));
    }

    @Test
    void identityReturnsTheStreamItself() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        assertThat(TarIdMapper.toContainer(sink, IdMapping.IDENTITY, TarIdMapper.Unmapped.FAIL)).isSameAs(sink);
        InputStream in = new ByteArrayInputStream(new byte[0]);
        assertThat(TarIdMapper.toHost(in, IdMapping.IDENTITY)).isSameAs(in);
    }

    @Test
    void outgoingRefusesACorruptHeader() throws IOException {
        byte[] t = tar(List.of(M.file("f", 100000, 100000, "a")));
        t[0] ^= 1; // name changed, checksum not
        OutputStream o = TarIdMapper.toContainer(new ByteArrayOutputStream(), REMAP, TarIdMapper.Unmapped.FAIL);
        assertThatThrownBy(() -> o.write(t)).isInstanceOf(IOException.class).hasMessageContaining("checksum");
    }

    // ---- incoming: container ids → host ids

    @Test
    void incomingMembersGetHostIds() throws IOException {
        InputStream mapped = TarIdMapper.toHost(new ByteArrayInputStream(tar(sample(0))), REMAP);
        assertThat(read(mapped)).isEqualTo(expected(100000));
    }

    @Test
    void incomingReadsInAnyChunkSize() throws IOException {
        InputStream mapped = TarIdMapper.toHost(new ByteArrayInputStream(tar(sample(0))), REMAP);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        int b;
        while ((b = mapped.read()) >= 0) {
            all.write(b);
        }
        assertThat(read(new ByteArrayInputStream(all.toByteArray()))).isEqualTo(expected(100000));
    }

    @Test
    void incomingUnmappableIdFailsBeforeTheMemberIsReturned() throws IOException {
        List<M> ctr = List.of(M.file("ok", 0, 0, "a"), M.file("bad", 70000, 0, "b"));
        InputStream mapped = TarIdMapper.toHost(new ByteArrayInputStream(tar(ctr)), REMAP);
        TarArchiveInputStream t = new TarArchiveInputStream(mapped);
        assertThat(t.getNextEntry().getName()).isEqualTo("ok");
        assertThatThrownBy(t::getNextEntry).isInstanceOf(BerthException.class)
                .hasMessage("container ID 70000 cannot be mapped to a host ID");
    }

    @Test
    void incomingKeepsTheRemappedRootsIdsAsMobyDoes() throws IOException {
        InputStream mapped = TarIdMapper.toHost(new ByteArrayInputStream(tar(List.of(M.file("f", 100000, 100000, "a")))), REMAP);
        assertThat(read(mapped)).containsExactly(M.file("f", 100000, 100000, "a"));
    }

    @Test
    void roundTripIsTheIdentity() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream o = TarIdMapper.toContainer(sink, REMAP, TarIdMapper.Unmapped.FAIL)) {
            TarIdMapper.toHost(new ByteArrayInputStream(tar(sample(0))), REMAP).transferTo(o);
        }
        assertThat(read(new ByteArrayInputStream(sink.toByteArray()))).isEqualTo(expected(0));
    }
}
