package dev.berth.daemon.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.common.BerthException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure pieces of remote contexts: URL classification, git fragments, content sniffing, scoped paths. */
class RemoteUrlsTest {
    @TempDir
    Path tmp;

    @Test
    void gitUrlsAsDockerdClassifiesThem() {
        // dockerd's urlutil: these are git repositories
        for (String s : new String[] {"git://github.com/docker/docker", "git@github.com:docker/docker.git",
                "git@bitbucket.org:atlassianlabs/atlassian-docker.git", "https://github.com/docker/docker.git",
                "http://github.com/docker/docker.git", "http://github.com/docker/docker.git#branch",
                "http://github.com/docker/docker.git#:dir", "github.com/docker/docker"}) {
            assertThat(RemoteUrls.isGitUrl(s)).as(s).isTrue();
        }
        // ... and these are not (plain URLs are downloaded)
        for (String s : new String[] {"http://example.com/ctx.tar.gz", "https://example.com/Dockerfile",
                "http://github.com/docker/docker.git:#branch", "http://x/repo.git/foo", "ftp://x/repo.git", "repo.git"}) {
            assertThat(RemoteUrls.isGitUrl(s)).as(s).isFalse();
        }
        assertThat(RemoteUrls.isUrl("http://x")).isTrue();
        assertThat(RemoteUrls.isUrl("https://x")).isTrue();
        assertThat(RemoteUrls.isUrl("git://x")).isFalse();
    }

    @Test
    void gitFragmentsGiveRefAndSubdir() {
        assertThat(RemoteUrls.parseGit("https://h/r.git"))
                .isEqualTo(new RemoteUrls.GitRemote("https://h/r.git", "master", ""));
        assertThat(RemoteUrls.parseGit("https://h/r.git#v1.0"))
                .isEqualTo(new RemoteUrls.GitRemote("https://h/r.git", "v1.0", ""));
        assertThat(RemoteUrls.parseGit("https://h/r.git#:docker"))
                .isEqualTo(new RemoteUrls.GitRemote("https://h/r.git", "master", "docker"));
        assertThat(RemoteUrls.parseGit("http://127.0.0.1:9/r.git#feature/x:a/b"))
                .isEqualTo(new RemoteUrls.GitRemote("http://127.0.0.1:9/r.git", "feature/x", "a/b"));
        assertThat(RemoteUrls.parseGit("https://h/r.git#pull/42/head"))
                .isEqualTo(new RemoteUrls.GitRemote("https://h/r.git", "pull/42/head", ""));
        assertThat(RemoteUrls.parseGit("git@github.com:o/r.git#dev:sub"))
                .isEqualTo(new RemoteUrls.GitRemote("git@github.com:o/r.git", "dev", "sub"));
        assertThat(RemoteUrls.parseGit("github.com/o/r"))
                .isEqualTo(new RemoteUrls.GitRemote("https://github.com/o/r", "master", ""));
        assertThat(RemoteUrls.parseGit("https://h/r.git#my%20ref:s"))
                .isEqualTo(new RemoteUrls.GitRemote("https://h/r.git", "my ref", "s"));
        // a ref that git would read as an option is refused
        assertThatThrownBy(() -> RemoteUrls.parseGit("https://h/r.git#--upload-pack=touch /x:sub"))
                .isInstanceOf(BerthException.class).hasMessage("invalid refspec: --upload-pack=touch /x");
    }

    private static ContentTypes.Kind classify(String header, String body) {
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        return ContentTypes.classify(header, b, b.length);
    }

    @Test
    void contentTypeDecidesDockerfileOrArchive() {
        assertThat(classify("text/plain; charset=utf-8", "FROM busybox\n")).isEqualTo(ContentTypes.Kind.DOCKERFILE);
        assertThat(classify(null, "FROM busybox\n")).isEqualTo(ContentTypes.Kind.DOCKERFILE);
        assertThat(classify("application/octet-stream", "FROM busybox\n")).isEqualTo(ContentTypes.Kind.DOCKERFILE);
        assertThat(classify("application/x-tar", "FROM busybox\n")).isEqualTo(ContentTypes.Kind.ARCHIVE);
        assertThat(classify("application/gzip", "\u001f\u008b\u0008")).isEqualTo(ContentTypes.Kind.ARCHIVE);
        assertThat(classify(null, "\u001f\u008b\u0008\0\0")).isEqualTo(ContentTypes.Kind.ARCHIVE);
        assertThat(classify("", "Dockerfile\0\0\0\0\0")).isEqualTo(ContentTypes.Kind.ARCHIVE); // tar header: binary
        assertThat(classify("application/x-xz", "x")).isEqualTo(ContentTypes.Kind.ARCHIVE);
        assertThatThrownBy(() -> classify("text/html; charset=utf-8", "<html>"))
                .hasMessage("unsupported Content-Type \"text/html; charset=utf-8\"");
        // sniffed HTML (e.g. an error page served as octet-stream) is refused with the header dockerd saw
        assertThatThrownBy(() -> classify("", "  <!DOCTYPE html><p>x"))
                .hasMessage("unsupported Content-Type \"\"");
        assertThatThrownBy(() -> classify("image/png", "x")).hasMessage("unsupported Content-Type \"image/png\"");
    }

    @Test
    void humanSizeIsGoUnits() {
        assertThat(RemoteContextFetcher.humanSize(0)).isEqualTo("0B");
        assertThat(RemoteContextFetcher.humanSize(512)).isEqualTo("512B");
        assertThat(RemoteContextFetcher.humanSize(1024)).isEqualTo("1.024kB");
        assertThat(RemoteContextFetcher.humanSize(12_500_000)).isEqualTo("12.5MB");
    }

    @Test
    void subdirStaysInsideTheCheckout() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("a/b"));
        Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/a"));            // absolute: read inside root
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../outside"));  // climbs: stops at root
        Files.createSymbolicLink(root.resolve("hostlib"), Path.of("/usr/lib"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/etc")); // resolves to itself: a loop
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        assertThat(ScopedPath.resolve(root, "a/b")).isEqualTo(root.resolve("a/b"));
        assertThat(ScopedPath.resolve(root, "/a/./b/")).isEqualTo(root.resolve("a/b"));
        assertThat(ScopedPath.resolve(root, "abs/b")).isEqualTo(root.resolve("a/b"));
        assertThat(ScopedPath.resolve(root, "up")).isEqualTo(root.resolve("outside"));
        assertThat(ScopedPath.resolve(root, "hostlib")).isEqualTo(root.resolve("usr/lib"));
        assertThatThrownBy(() -> ScopedPath.resolve(root, "etc")).isInstanceOf(BerthException.class);
        assertThat(ScopedPath.resolve(root, "a/../a")).isEqualTo(root.resolve("a"));
        assertThatThrownBy(() -> ScopedPath.resolve(root, "../outside"))
                .hasMessage("error setting git context, \"../outside\" not within git root");
        assertThatThrownBy(() -> ScopedPath.resolve(root, "a/../../.."))
                .hasMessage("error setting git context, \"a/../../..\" not within git root");
        assertThatThrownBy(() -> ScopedPath.resolve(root, "loop")).isInstanceOf(BerthException.class);
    }
}
