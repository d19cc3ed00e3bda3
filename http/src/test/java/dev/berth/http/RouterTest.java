package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouterTest {
    private final Handler h1 = ex -> {};
    private final Handler h2 = ex -> {};
    private final Handler h3 = ex -> {};

    @Test
    void segmentParametersDoNotCrossSlashes() {
        Router r = new Router().get("/containers/{name}/json", h1);
        assertThat(r.match("GET", "/containers/abc/json").params()).containsEntry("name", "abc");
        assertThat(r.match("GET", "/containers/a/b/json")).isNull();
        assertThat(r.match("POST", "/containers/abc/json")).isNull();
    }

    @Test
    void catchAllParametersTakeImageNamesWithSlashes() {
        Router r = new Router()
                .get("/images/json", h1)
                .get("/images/{name:.+}/json", h2)
                .delete("/images/{name:.+}", h3);
        assertThat(r.match("GET", "/images/json").handler()).isSameAs(h1);
        Router.Match m = r.match("GET", "/images/localhost:5000/a/b:1/json");
        assertThat(m.handler()).isSameAs(h2);
        assertThat(m.params()).containsEntry("name", "localhost:5000/a/b:1");
        assertThat(r.match("DELETE", "/images/docker.io/library/busybox:latest").params())
                .containsEntry("name", "docker.io/library/busybox:latest");
    }

    @Test
    void firstMatchWins() {
        Router r = new Router().post("/images/create", h1).post("/images/{name:.+}", h2);
        assertThat(r.match("POST", "/images/create").handler()).isSameAs(h1);
        assertThat(r.match("POST", "/images/other").handler()).isSameAs(h2);
    }

    @Test
    void versionsCompareNumerically() {
        assertThat(ApiVersion.parse("1.9")).isLessThan(ApiVersion.parse("1.10"));
        assertThat(ApiVersion.parse("1.50").atLeast("1.42")).isTrue();
        assertThat(ApiVersion.parse("1.41").lessThan("1.42")).isTrue();
    }
}
