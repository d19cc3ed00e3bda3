package dev.berth.api.backend;

import dev.berth.api.model.ChangeItem;
import dev.berth.api.model.ContainerConfig;
import java.util.List;

/**
 * {@code docker commit} and {@code docker diff}. Containers are named by name, full id or unique
 * id prefix; unknown ones are NOT_FOUND ("No such container: x"). Thread-safe.
 */
public interface CommitBackend {
    /**
     * Makes an image from a container's file system changes on top of its image.
     *
     * @param container the container
     * @param repo repository to tag the image with, or null for an untagged image
     * @param tag tag (default {@code latest} when repo is given), or null
     * @param comment commit message, or null
     * @param author author, or null
     * @param pause pause a running container for the duration of the commit
     * @param changes Dockerfile instructions applied to the config ({@code --change})
     * @param config container config overrides from the request body, or null
     * @return the new image id ({@code sha256:…})
     */
    String commit(String container, String repo, String tag, String comment, String author, boolean pause,
                  List<String> changes, ContainerConfig config);

    /** The container's file system changes against its image (Kind 0 modified, 1 added, 2 deleted), sorted by path. */
    List<ChangeItem> changes(String container);
}
