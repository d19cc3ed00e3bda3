package dev.berth.compose.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
    private static final SchemaValidator V = SchemaValidator.bundled();

    private static void validate(String yaml) {
        var p = YamlTree.parse("compose.yaml", yaml);
        V.validate(p, p.root());
    }

    @Test
    void acceptsAValidFile() {
        assertThatCode(() -> validate("""
                name: demo
                services:
                  web:
                    image: nginx
                    ports: ["80:80", {target: 443, published: "8443"}]
                    depends_on: {db: {condition: service_healthy}}
                    deploy: {replicas: "2", resources: {limits: {cpus: "0.5", memory: 64M}}}
                    x-custom: anything
                  db:
                    image: postgres
                    healthcheck: {test: ["CMD", "true"], interval: 5s}
                volumes: {data: {}}
                x-top: 1
                """)).doesNotThrowAnyException();
    }

    @Test
    void unknownPropertyNamesFileLineAndField() {
        assertThatThrownBy(() -> validate("services:\n  web:\n    image: nginx\n    imagee: typo\n"))
                .hasMessageContaining("compose.yaml:4").hasMessageContaining("services.web")
                .hasMessageContaining("additional property 'imagee' is not allowed");
    }

    @Test
    void wrongTypeNamesTheField() {
        assertThatThrownBy(() -> validate("services:\n  web:\n    image: nginx\n    privileged: [1]\n"))
                .hasMessageContaining("compose.yaml:4").hasMessageContaining("services.web.privileged");
        assertThatThrownBy(() -> validate("services:\n  web:\n    image: nginx\n    ports: [{target: [1]}]\n"))
                .hasMessageContaining("services.web.ports.0");
    }

    @Test
    void enumIsChecked() {
        assertThatThrownBy(() -> validate("services:\n  a:\n    image: x\n    depends_on: {b: {condition: whenever}}\n  b: {image: x}\n"))
                .hasMessageContaining("services.a.depends_on.b.condition");
    }

    @Test
    void topLevelUnknownKey() {
        assertThat(V.check(java.util.Map.of("servics", java.util.Map.of()))).isNotEmpty();
    }
}
