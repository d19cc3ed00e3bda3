package dev.berth.compose.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlTreeTest {
    @Test
    void yaml12CoreScalars() {
        var p = YamlTree.parse("f", "a: yes\nb: true\nc: 0x1F\nd: 1.5\ne: ~\nf: '01'\ng: 010\n");
        Map<?, ?> m = (Map<?, ?>) p.root();
        assertThat(m.get("a")).isEqualTo("yes"); // YAML 1.2: yes is a string
        assertThat(m.get("b")).isEqualTo(true);
        assertThat(m.get("c")).isEqualTo(31L);
        assertThat(m.get("d")).isEqualTo(1.5);
        assertThat(m.get("e")).isNull();
        assertThat(m.get("f")).isEqualTo("01");
        assertThat(m.get("g")).isEqualTo(10L);
    }

    @Test
    void anchorsAliasesAndMergeKeys() {
        var p = YamlTree.parse("f", """
                x-base: &base
                  image: busybox
                  environment: {A: "1"}
                x-more: &more
                  restart: always
                services:
                  web:
                    <<: [*base, *more]
                    environment: {B: "2"}
                  other: *base
                """);
        Map<?, ?> services = (Map<?, ?>) ((Map<?, ?>) p.root()).get("services");
        Map<?, ?> web = (Map<?, ?>) services.get("web");
        assertThat(web.get("image")).isEqualTo("busybox");
        assertThat(web.get("restart")).isEqualTo("always");
        assertThat(web.get("environment")).isEqualTo(Map.of("B", "2"));
        assertThat(((Map<?, ?>) services.get("other")).get("image")).isEqualTo("busybox");
    }

    @Test
    void recordsLinesByPath() {
        var p = YamlTree.parse("c.yaml", "services:\n  web:\n    ports:\n      - 80\n      - 443\n");
        assertThat(p.lines()).containsEntry("services.web.ports.1", 5);
        assertThat(p.where("services.web.ports.1.target")).isEqualTo("c.yaml:5");
        assertThat(((List<?>) ((Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) p.root()).get("services")).get("web")).get("ports"))).hasSize(2);
    }

    @Test
    void syntaxAndDuplicateKeyErrorsNameTheFile() {
        assertThatThrownBy(() -> YamlTree.parse("bad.yaml", "a: [1, 2\n")).hasMessageContaining("bad.yaml");
        assertThatThrownBy(() -> YamlTree.parse("dup.yaml", "a: 1\na: 2\n")).hasMessageContaining("dup.yaml");
    }
}
