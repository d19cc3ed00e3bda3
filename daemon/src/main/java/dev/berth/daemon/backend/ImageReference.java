package dev.berth.daemon.backend;

import dev.berth.common.BerthException;
import java.util.regex.Pattern;

/**
 * A parsed Docker image reference ({@code distribution/reference}): domain, path, optional tag and
 * digest, normalized the way dockerd stores them ({@code busybox} → {@code docker.io/library/busybox}).
 * Immutable.
 *
 * @param domain registry host, e.g. {@code docker.io}, {@code localhost:5000}
 * @param path repository path, e.g. {@code library/busybox}
 * @param tag tag or null
 * @param digest {@code sha256:…} or null
 */
public record ImageReference(String domain, String path, String tag, String digest) {
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
    public static final String DEFAULT_DOMAIN = "docker.io";

    /** Parses and normalizes; INVALID_ARGUMENT "invalid reference format…" as Docker words it. */
    public static ImageReference parse(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw BerthException.invalid("invalid reference format");
        }
        String rest = ref;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw BerthException.invalid("invalid reference format");
            }
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw BerthException.invalid("invalid reference format");
            }
        }
        String domain;
        String path;
        int first = rest.indexOf('/');
        String head = first < 0 ? rest : rest.substring(0, first);
        if (first >= 0 && (head.contains(".") || head.contains(":") || head.equals("localhost") || !head.equals(head.toLowerCase()))) {
            domain = head;
            path = rest.substring(first + 1);
            if (!DOMAIN.matcher(domain).matches()) {
                throw BerthException.invalid("invalid reference format");
            }
        } else {
            domain = DEFAULT_DOMAIN;
            path = first < 0 ? "library/" + rest : rest;
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (!path.equals(path.toLowerCase())) {
            throw BerthException.invalid("invalid reference format: repository name (%s) must be lowercase", path);
        }
        if (!PATH.matcher(path).matches()) {
            throw BerthException.invalid("invalid reference format");
        }
        if ((domain + "/" + path).length() > 255) {
            throw BerthException.invalid("invalid reference format: repository name must not be more than 255 characters");
        }
        return new ImageReference(domain, path, tag, digest);
    }

    /** Validates a tag as {@code docker tag} does. */
    public static void validateTag(String tag) {
        if (!TAG.matcher(tag).matches()) {
            throw BerthException.invalid("invalid tag format");
        }
    }

    /** {@code docker.io/library/busybox} */
    public String name() {
        return domain + "/" + path;
    }

    /** {@code busybox} for Docker Hub official images, else the full name. */
    public String familiarName() {
        if (domain.equals(DEFAULT_DOMAIN)) {
            return path.startsWith("library/") && path.indexOf('/', 8) < 0 ? path.substring(8) : path;
        }
        return name();
    }

    /** The same reference with {@code latest} filled in when it has neither tag nor digest. */
    public ImageReference withDefaultTag() {
        return tag == null && digest == null ? new ImageReference(domain, path, "latest", null) : this;
    }

    /** Normalized string, e.g. {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** Familiar string, e.g. {@code busybox:latest}. */
    public String familiar() {
        return familiarName() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }
}
