package dev.berth.oci.ref;

import dev.berth.common.BerthException;
import dev.berth.common.Digest;
import java.util.regex.Pattern;

/**
 * A normalized image reference as Docker's distribution/reference makes it: {@code busybox} is
 * {@code docker.io/library/busybox}; the familiar form strips {@code docker.io/} and
 * {@code library/} again. Immutable.
 *
 * @param domain registry host[:port], e.g. {@code docker.io}
 * @param path repository path, e.g. {@code library/busybox}
 * @param tag tag or null
 * @param digest {@code sha256:…} or null
 */
public record Reference(String domain, String path, String tag, String digest) {
    public static final String DEFAULT_DOMAIN = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String ALNUM = "[a-z0-9]+";
    private static final String SEP = "(?:[._]|__|[-]+)";
    private static final String COMPONENT = ALNUM + "(?:" + SEP + ALNUM + ")*";
    private static final Pattern PATH = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(
            "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");
    private static final int NAME_MAX = 255;

    /** Parses and normalizes; a reference without tag or digest stays without (see {@link #withDefaultTag}). */
    public static Reference parse(String s) {
        if (s == null || s.isEmpty()) {
            throw BerthException.invalid("invalid reference format");
        }
        if (HEX64.matcher(s).matches()) {
            throw BerthException.invalid("invalid repository name (%s), cannot specify 64-byte hexadecimal strings", s);
        }
        String rest = s;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!Digest.isDigest(digest)) {
                throw BerthException.invalid("invalid reference format");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw BerthException.invalid("invalid reference format");
            }
        }
        String domain;
        String path;
        int slash = rest.indexOf('/');
        String first = slash < 0 ? null : rest.substring(0, slash);
        if (first == null || (!first.contains(".") && !first.contains(":") && !first.equals("localhost")
                && first.toLowerCase(java.util.Locale.ROOT).equals(first))) {
            domain = DEFAULT_DOMAIN;
            path = rest;
        } else {
            domain = first;
            path = rest.substring(slash + 1);
        }
        if (domain.equals("index.docker.io")) {
            domain = DEFAULT_DOMAIN;
        }
        if (domain.equals(DEFAULT_DOMAIN) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (!path.toLowerCase(java.util.Locale.ROOT).equals(path)) {
            throw BerthException.invalid("invalid reference format: repository name (%s) must be lowercase", path);
        }
        if (!DOMAIN.matcher(domain).matches() || !PATH.matcher(path).matches()) {
            throw BerthException.invalid("invalid reference format");
        }
        if (domain.length() + 1 + path.length() > NAME_MAX) {
            throw BerthException.invalid("invalid reference format: repository name must not be more than %d characters", NAME_MAX);
        }
        return new Reference(domain, path, tag, digest);
    }

    /** Parses, normalizes and adds tag {@code latest} when neither tag nor digest is given. */
    public static Reference parseWithDefaultTag(String s) {
        return parse(s).withDefaultTag();
    }

    public Reference withDefaultTag() {
        return tag == null && digest == null ? new Reference(domain, path, DEFAULT_TAG, null) : this;
    }

    public Reference withTag(String newTag) {
        return new Reference(domain, path, newTag, null);
    }

    public Reference withDigest(String newDigest) {
        return new Reference(domain, path, null, newDigest);
    }

    /** True when neither tag nor digest is set. */
    public boolean isNameOnly() {
        return tag == null && digest == null;
    }

    /** {@code docker.io/library/busybox}. */
    public String name() {
        return domain + "/" + path;
    }

    /** {@code busybox}, {@code user/app}, {@code host:5000/x}. */
    public String familiarName() {
        if (!domain.equals(DEFAULT_DOMAIN)) {
            return name();
        }
        if (path.startsWith("library/") && path.indexOf('/', 8) < 0) {
            return path.substring(8);
        }
        return path;
    }

    /** {@code busybox:latest}, {@code busybox@sha256:…}. */
    public String familiarString() {
        return familiarName() + suffix();
    }

    private String suffix() {
        return (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    /** The full normalized form, e.g. {@code docker.io/library/busybox:latest}. */
    @Override
    public String toString() {
        return name() + suffix();
    }
}
