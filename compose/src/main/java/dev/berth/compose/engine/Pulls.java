package dev.berth.compose.engine;

import dev.berth.client.BerthClient;
import dev.berth.compose.loader.Project;

/** Public entry points for {@code pull} and {@code build} of single services. */
public final class Pulls {
    private Pulls() {}

    public static void pull(BerthClient client, Progress progress, String service, String image) {
        new ProjectResources(client, progress).pull(service, image);
    }

    public static void build(BerthClient client, Progress progress, Project p, String service) {
        new ImageBuilder(client, progress).build(p, service, p.service(service));
    }
}
