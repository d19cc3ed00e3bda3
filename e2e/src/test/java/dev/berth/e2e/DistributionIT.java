package dev.berth.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * docker push / pull / run-of-a-missing-image / login through berthd against Berth's own registry
 * ({@code dev.berth.registry.RegistryMain}, started as a separate JVM on free loopback ports: one
 * open, one with an htpasswd user). Loopback registries are insecure by default, as in Docker.
 */
class DistributionIT extends E2E {
    /** bcrypt of "e2e-secret" (as {@code htpasswd -B} writes it). */
    private static final String HTPASSWD = "e2e:$2y$10$Iftc1.2njYwW05kT4Ct0Y.Qwg.zgKzLKRivzhSkgEFXXuso/AetdO\n";
    private static final TestRegistries REGISTRIES = new TestRegistries();
    private static String open;
    private static String secured;

    DistributionIT(Engine e) throws IOException {
        super(e);
        synchronized (REGISTRIES) {
            if (open == null) {
                open = REGISTRIES.berth(e, null).host();
                Path htpasswd = e.dir.resolve("e2e-htpasswd");
                Files.writeString(htpasswd, HTPASSWD);
                secured = REGISTRIES.berth(e, htpasswd).host();
            }
        }
    }

    @AfterAll
    static void stopRegistries() {
        synchronized (REGISTRIES) {
            REGISTRIES.close();
            open = null;
            secured = null;
        }
    }

    @Test
    void pushRemovePullRun() {
        String image = open + "/" + Engine.name("bb") + ":1";
        uniqueImage(image);
        String push = ok("push", image);
        assertThat(push).contains("The push refers to repository [" + image.substring(0, image.lastIndexOf(':')) + "]")
                .contains("Pushed").containsPattern("1: digest: sha256:[0-9a-f]{64} size: \\d+");
        // The same layers to another repository of the registry: mounted, not uploaded again.
        String other = open + "/" + Engine.name("mnt") + ":2";
        ok("tag", image, other);
        assertThat(ok("push", other)).contains("Mounted from " + image.substring(open.length() + 1, image.lastIndexOf(':')));
        ok("rmi", other);
        ok("rmi", image);
        assertThat(docker("image", "inspect", image).exit()).isEqualTo(1);

        String pull = ok("pull", image);
        assertThat(pull).contains("1: Pulling from ").contains("Pull complete").containsPattern("Digest: sha256:[0-9a-f]{64}")
                .contains("Status: Downloaded newer image for " + image);
        assertThat(inspect(image, "{{json .RepoDigests}}")).contains(image.substring(0, image.lastIndexOf(':')) + "@sha256:");
        assertThat(ok("run", "--rm", image, "echo", "ok")).isEqualTo("ok\n");
        assertThat(ok("pull", image)).contains("Status: Image is up to date for " + image);

        // Pull by digest.
        String digest = inspect(image, "{{index .RepoDigests 0}}");
        ok("rmi", image);
        assertThat(ok("pull", digest)).contains("Status: Downloaded newer image for " + digest);
        assertThat(ok("run", "--rm", digest, "echo", "by-digest")).isEqualTo("by-digest\n");
        ok("rmi", digest);
    }

    @Test
    void runPullsAMissingImage() {
        String image = open + "/" + Engine.name("run") + ":v";
        uniqueImage(image);
        ok("push", image);
        ok("rmi", image);
        Cmd.Result run = e.dockerIn(null, Duration.ofSeconds(120), "run", "--rm", image, "echo", "pulled-and-ran");
        assertThat(run.exit()).as(run.describe()).isZero();
        assertThat(run.out()).isEqualTo("pulled-and-ran\n");
        assertThat(run.err()).contains("Unable to find image '" + image + "' locally").contains("Pull complete");
        ok("rmi", image);
    }

    @Test
    void pullFailuresAreDockersMessagesAndLeaveNothing() throws IOException {
        String repo = open + "/" + Engine.name("missing");
        Cmd.Result unknown = docker("pull", repo + ":nope");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("Error response from daemon: ");
        assertThat(unknown.err()).satisfiesAnyOf(
                s -> assertThat(s).contains("manifest for " + repo + ":nope not found"),
                s -> assertThat(s).contains("pull access denied for " + repo));

        int closed = freePort();
        Cmd.Result unreachable = docker("pull", "127.0.0.1:" + closed + "/x/y:1");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.err()).contains("Get \"http://127.0.0.1:" + closed + "/v2/\"").contains("connection refused");

        Cmd.Result noTag = docker("push", repo + ":absent");
        assertThat(noTag.exit()).isEqualTo(1);
        assertThat(noTag.err()).contains("tag does not exist: " + repo + ":absent");
    }

    @Test
    void loginWithHtpasswd() {
        Cmd.Result wrong = e.dockerIn("nope\n".getBytes(), Duration.ofSeconds(60),
                "login", "-u", "e2e", "--password-stdin", secured);
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("login attempt to http://" + secured + "/v2/ failed with status: 401 Unauthorized");

        String image = secured + "/private/" + Engine.name("sec") + ":1";
        ok("tag", "busybox", image);
        Cmd.Result denied = docker("push", image);
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err() + denied.out()).contains("unauthorized");

        Cmd.Result login = e.dockerIn("e2e-secret\n".getBytes(), Duration.ofSeconds(60),
                "login", "-u", "e2e", "--password-stdin", secured);
        assertThat(login.exit()).as(login.describe()).isZero();
        assertThat(login.out()).contains("Login Succeeded");
        try {
            ok("push", image);
            ok("rmi", image);
            assertThat(ok("pull", image)).contains("Status: Downloaded newer image for " + image);
            ok("rmi", image);
        } finally {
            docker("logout", secured);
        }
        Cmd.Result anonymous = docker("pull", image);
        assertThat(anonymous.exit()).isEqualTo(1);
        assertThat(anonymous.err()).contains("pull access denied for " + image.substring(0, image.lastIndexOf(':')));
    }

    @Test
    void berthLoginKeepsTheSecretInACredentialHelper() throws IOException {
        // A credential helper as docker runs them (docker-credential-<name> get|store|erase on PATH),
        // keeping one file per server next to itself; config.json names it in credsStore.
        Path helpers = Files.createDirectories(e.dir.resolve("cred-helpers"));
        Path helper = helpers.resolve("docker-credential-e2e");
        Files.writeString(helper, """
                #!/bin/sh
                d="$(dirname "$0")/store"; mkdir -p "$d"; echo "$1" >> "$d.log"
                key() { printf '%s' "$1" | md5sum | cut -c1-32; }
                case "$1" in
                  store) in=$(cat); url=$(printf '%s' "$in" | sed 's/.*"ServerURL":"\\([^"]*\\)".*/\\1/'); printf '%s' "$in" > "$d/$(key "$url")";;
                  get) url=$(cat); f="$d/$(key "$url")"; if [ -f "$f" ]; then cat "$f"; else echo "credentials not found in native keychain"; exit 1; fi;;
                  erase) url=$(cat); rm -f "$d/$(key "$url")";;
                  list) echo '{}';;
                esac
                """);
        Files.setPosixFilePermissions(helper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Path config = Files.createDirectories(e.dir.resolve("cred-config"));
        Files.writeString(config.resolve("config.json"), "{\"credsStore\":\"e2e\"}");
        String env = "PATH=" + helpers + ":$PATH DOCKER_CONFIG=" + config + " ";
        String berth = e.root.resolve("bin/berth").toString();
        String image = secured + "/private/" + Engine.name("helper") + ":1";
        ok("tag", "busybox", image);

        Cmd.Result login = e.sh("echo e2e-secret | " + env + berth + " login -u e2e --password-stdin " + secured);
        assertThat(login.exit()).as(login.describe()).isZero();
        assertThat(login.out()).contains("Login Succeeded");
        String file = Files.readString(config.resolve("config.json"));
        assertThat(file).contains(secured).doesNotContain("e2e-secret").doesNotContain("\"auth\"");
        Cmd.Result push = e.sh(env + berth + " push " + image);
        assertThat(push.exit()).as(push.describe()).isZero();

        Cmd.Result logout = e.sh(env + berth + " logout " + secured);
        assertThat(logout.exit()).as(logout.describe()).isZero();
        assertThat(Files.readString(helpers.resolve("store.log")).lines()).containsExactly("store", "get", "erase");
        Cmd.Result denied = e.sh(env + berth + " push " + image);
        assertThat(denied.exit()).isNotZero();
        assertThat(denied.out() + denied.err()).contains("unauthorized");
        ok("rmi", image);
    }

    // ---- fixtures

    /**
     * Imports busybox's root file system plus a file unique to {@code image} as {@code image}, so
     * its layer exists nowhere else in the store and a pull after {@code rmi} really downloads it.
     */
    private void uniqueImage(String image) {
        uniqueImage(e, image);
    }

    static void uniqueImage(Engine e, String image) {
        Path d = e.dir.resolve("uniq-" + Integer.toHexString(image.hashCode()));
        Cmd.Result r = e.sh("set -e; mkdir -p " + d + "/fs; tar -xf " + e.busyboxRootfs + " -C " + d + "/fs; echo '" + image
                + "' > " + d + "/fs/unique; tar -C " + d + "/fs -cf " + d + "/fs.tar .; " + Engine.DOCKER + " import --change 'CMD [\"sh\"]' "
                + d + "/fs.tar " + image + " >/dev/null; rm -rf " + d);
        assertThat(r.exit()).as(r.describe()).isZero();
    }

    private static int freePort() throws IOException {
        return TestRegistries.freePort();
    }
}
