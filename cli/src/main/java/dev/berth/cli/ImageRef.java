package dev.berth.cli;

/**
 * Splits an image reference into the {@code fromImage} and {@code tag} the engine's
 * {@code /images/create} expects, normalising Docker Hub names as the docker CLI does.
 */
record ImageRef(String repository, String tag) {
    static ImageRef parse(String ref) {
        String name = ref;
        String tag = null;
        int at = name.indexOf('@');
        if (at >= 0) {
            tag = name.substring(at + 1);
            name = name.substring(0, at);
        } else {
            int colon = name.lastIndexOf(':');
            if (colon > name.lastIndexOf('/')) {
                tag = name.substring(colon + 1);
                name = name.substring(0, colon);
            }
        }
        return new ImageRef(normalize(name), tag == null ? "latest" : tag);
    }

    /** docker.io/library/busybox for busybox; registries (with '.' or ':' or localhost) kept. */
    static String normalize(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return "docker.io/library/" + name;
        }
        String first = name.substring(0, slash);
        if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
            return name;
        }
        return "docker.io/" + name;
    }

    /** The familiar form docker prints: {@code busybox:latest}. */
    String familiar() {
        String n = repository.startsWith("docker.io/library/") ? repository.substring(18)
                : repository.startsWith("docker.io/") ? repository.substring(10) : repository;
        return n + (tag.startsWith("sha256:") ? "@" : ":") + tag;
    }
}
