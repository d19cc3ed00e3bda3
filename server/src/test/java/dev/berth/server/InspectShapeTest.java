package dev.berth.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.api.model.ContainerInspect;
import dev.berth.common.Json;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class InspectShapeTest {
    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.propertyNames().forEach(out::add);
        return out;
    }

    @Test
    void goFieldOrderZeroValuesSortedMapsAndTheDefaultBridgesAddressOnTop() {
        ContainerInspect in = Json.mapper().readValue("""
                {"Name":"/web","Id":"abc","Config":{"Labels":{"z":"1","a":"2"},"Image":"busybox","Hostname":"h"},
                 "GraphDriver":{"Name":"overlay2","Data":{"WorkDir":"/w","LowerDir":"/l"}},
                 "NetworkSettings":{"Networks":{"bridge":{"IPAddress":"172.30.0.2","IPPrefixLen":16,"Gateway":"172.30.0.1",
                    "MacAddress":"02:42:ac:1e:00:02","NetworkID":"n1"}},"SandboxID":"s"}}
                """, ContainerInspect.class);
        ObjectNode out = InspectShape.container(in);
        assertThat(keys(out)).startsWith("Id", "Created", "Path", "Args").contains("ExecIDs").endsWith("Config", "NetworkSettings");
        assertThat(out.get("ExecIDs").isNull()).isTrue();
        assertThat(keys(out.get("Config"))).containsSubsequence("Hostname", "Domainname", "User", "Env", "Cmd", "Image", "Volumes",
                "WorkingDir", "Entrypoint", "OnBuild", "Labels");
        assertThat(keys(out.get("Config").get("Labels"))).containsExactly("a", "z");
        assertThat(keys(out.get("GraphDriver"))).containsExactly("Data", "Name");
        assertThat(keys(out.get("GraphDriver").get("Data"))).containsExactly("LowerDir", "WorkDir");
        JsonNode ns = out.get("NetworkSettings");
        assertThat(keys(ns)).startsWith("Bridge", "SandboxID", "SandboxKey", "Ports", "HairpinMode").endsWith("MacAddress", "Networks");
        assertThat(ns.get("IPAddress").asString()).isEqualTo("172.30.0.2");
        assertThat(ns.get("IPPrefixLen").asInt()).isEqualTo(16);
        assertThat(ns.get("Gateway").asString()).isEqualTo("172.30.0.1");
        assertThat(keys(ns.get("Networks").get("bridge"))).startsWith("IPAMConfig", "Links", "Aliases", "MacAddress", "DriverOpts")
                .endsWith("DNSNames");
    }
}
