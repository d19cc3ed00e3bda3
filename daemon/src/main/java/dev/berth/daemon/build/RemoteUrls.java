package dev.berth.daemon.build;

import dev.berth.common.BerthException;
import java.util.regex.Pattern;

/**
 * How dockerd classifies {@code POST /build?remote=…} (its {@code urlutil} and git URL parsing):
 * a git repository, an HTTP(S) URL to download, or neither. Pure functions.
 */
final class RemoteUrls {
    private RemoteUrls() {}

    /** dockerd's {@code urlutil}: an http(s) URL whose path ends in {@code .git}, optionally with a fragment. */
    private static final Pattern GIT_SUFFIX = Pattern.compile("\\.git(?:#.+)?$");

    /** A git remote: the URL git fetches from, the ref to check out and the context directory in it. */
    record GitRemote(String url, String ref, String subdir) {}

    /** dockerd's {@code urlutil.IsURL}: an {@code http://} or {@code https://} prefix, nothing more. */
    static boolean isUrl(String s) {
        return s.startsWith("https://") || s.startsWith("http://");
    }

    /**
     * dockerd's {@code urlutil.IsGitURL}: {@code http(s)://….git[#fragment]}, {@code git://…},
     * {@code git@…} or the legacy {@code github.com/…} prefix.
     */
    static boolean isGitUrl(String s) {
        if (isUrl(s) && GIT_SUFFIX.matcher(s).find()) {
            return true;
        }
        return s.startsWith("git://") || s.startsWith("github.com/") || s.startsWith("git@");
    }

    /**
     * Splits a git URL as dockerd's {@code parseRemoteURL} does: {@code #ref:subdir} in the
     * fragment (ref defaults to {@code master}, as in dockerd's classic builder), {@code https://}
     * added when no git transport is named ({@code github.com/…}).
     *
     * @throws BerthException INVALID_ARGUMENT for a ref starting with "-" (it would be read as a git option)
     */
    static GitRemote parseGit(String remote) {
        String url = remote;
        if (!isGitTransport(url)) {
            url = "https://" + url;
        }
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash + 1);
        if (!url.startsWith("git@")) {
            // a URL's fragment is percent-decoded (Go's url.Parse); git@host:path is not a URL
            fragment = decode(fragment);
        }
        int colon = fragment.indexOf(':');
        String ref = colon < 0 ? fragment : fragment.substring(0, colon);
        String subdir = colon < 0 ? "" : fragment.substring(colon + 1);
        if (ref.isEmpty()) {
            ref = "master";
        }
        if (ref.startsWith("-")) {
            throw BerthException.invalid("invalid refspec: %s", ref);
        }
        return new GitRemote(base, ref, subdir);
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // not valid percent-encoding: keep it as written
        }
    }

    /** The scheme of a URL in lower case, or "" when there is none. */
    static String scheme(String s) {
        int i = s.indexOf("://");
        if (i <= 0) {
            return "";
        }
        String scheme = s.substring(0, i);
        return scheme.matches("[A-Za-z][A-Za-z0-9+.-]*") ? scheme.toLowerCase(java.util.Locale.ROOT) : "";
    }

    private static boolean isGitTransport(String s) {
        if (s.startsWith("git@")) {
            return true;
        }
        return switch (scheme(s)) {
            case "git", "http", "https", "ssh" -> true;
            default -> false;
        };
    }
}
