package dev.berth.compose.engine;

import dev.berth.api.model.ContainerSummary;
import dev.berth.client.BerthClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Finds a project's containers on the engine by Compose labels. Stateless over the client. */
public final class ProjectContainers {
    private ProjectContainers() {}

    /** Non-one-off containers of {@code project} (all states), optionally limited to services. */
    public static List<ContainerSummary> list(BerthClient client, String project, Set<String> services, boolean includeOneOff) {
        List<ContainerSummary> all = client.containers().list(true, null, false,
                Map.of("label", List.of(Labels.PROJECT + "=" + project)));
        return all.stream()
                .filter(c -> includeOneOff || !"True".equals(label(c, Labels.ONEOFF)))
                .filter(c -> services == null || services.isEmpty() || services.contains(label(c, Labels.SERVICE)))
                .sorted(Comparator.comparing((ContainerSummary c) -> String.valueOf(label(c, Labels.SERVICE)))
                        .thenComparingInt(ProjectContainers::number))
                .toList();
    }

    public static String label(ContainerSummary c, String key) {
        return c.labels() == null ? null : c.labels().get(key);
    }

    public static int number(ContainerSummary c) {
        try {
            return Integer.parseInt(label(c, Labels.NUMBER));
        } catch (RuntimeException e) {
            return 0;
        }
    }

    public static String name(ContainerSummary c) {
        return c.names() == null || c.names().isEmpty() ? c.id().substring(0, 12) : c.names().getFirst().replaceFirst("^/", "");
    }
}
