package dev.berth.daemon.build;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what a downloaded remote context is, as dockerd's {@code inspectResponse} does: the
 * response's Content-Type, or (when it is missing or {@code application/octet-stream}) a sniff of
 * the first bytes, must name a tar (plain or compressed), an octet stream or plain text; plain
 * text is a Dockerfile, everything else a context archive. Pure functions.
 */
final class ContentTypes {
    private ContentTypes() {}

    /** dockerd reads at most this many bytes to sniff the content type. */
    static final int MAX_PREAMBLE = 100;

    static final String TEXT_PLAIN = "text/plain";
    static final String OCTET_STREAM = "application/octet-stream";

    /** dockerd's {@code acceptableRemoteMIME}; matched anywhere in the value, as Go's FindString does. */
    private static final Pattern ACCEPTABLE = Pattern.compile(
            "(?:application/(?:(?:x-)?tar|octet-stream|((?:x-)?(?:gzip|bzip2?|xz)))|(?:text/plain))");

    /** What the body is: a Dockerfile (plain text) or a context archive. */
    enum Kind { DOCKERFILE, ARCHIVE }

    /**
     * @param header the Content-Type header, or null
     * @param preamble the first bytes of the body (at most {@link #MAX_PREAMBLE} are looked at)
     * @throws IllegalArgumentException with dockerd's message when the type is not acceptable
     */
    static Kind classify(String header, byte[] preamble, int length) {
        String ct = header == null ? "" : header;
        String type = ct;
        if (ct.isEmpty() || ct.equals(OCTET_STREAM)) {
            type = sniff(preamble, Math.min(length, MAX_PREAMBLE));
        }
        Matcher m = ACCEPTABLE.matcher(type);
        if (!m.find()) {
            throw new IllegalArgumentException("unsupported Content-Type \"" + ct + "\"");
        }
        return m.group().equals(TEXT_PLAIN) ? Kind.DOCKERFILE : Kind.ARCHIVE;
    }

    /** Leading-whitespace-insensitive, case-insensitive HTML starts, as in Go's sniff table. */
    private static final List<String> HTML = List.of("<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1",
            "<DIV", "<FONT", "<TABLE", "<A", "<STYLE", "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--");

    /**
     * The media type (without parameters) Go's {@code http.DetectContentType} gives these bytes,
     * for the cases that matter here: markup and documents that are not plain text, compressed
     * data, and text versus binary. Anything else is {@code application/octet-stream}.
     */
    static String sniff(byte[] b, int n) {
        if (n >= 3 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b && b[2] == 8) {
            return "application/x-gzip";
        }
        if (n >= 2 && ((b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff || (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe)) {
            return TEXT_PLAIN; // UTF-16 byte order marks
        }
        if (n >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) {
            return TEXT_PLAIN;
        }
        int ws = 0;
        while (ws < n && isWhitespace(b[ws])) {
            ws++;
        }
        String head = new String(b, ws, n - ws, StandardCharsets.ISO_8859_1);
        String upper = head.toUpperCase(Locale.ROOT);
        for (String sig : HTML) {
            // Go requires a tag-terminating byte (space or '>') right after the signature
            if (upper.startsWith(sig) && upper.length() > sig.length()
                    && (upper.charAt(sig.length()) == ' ' || upper.charAt(sig.length()) == '>')) {
                return "text/html";
            }
        }
        if (head.startsWith("<?xml")) {
            return "text/xml";
        }
        String raw = new String(b, 0, n, StandardCharsets.ISO_8859_1);
        if (raw.startsWith("%PDF-")) {
            return "application/pdf";
        }
        if (raw.startsWith("%!PS-Adobe-")) {
            return "application/postscript";
        }
        for (int i = 0; i < n; i++) {
            if (isBinary(b[i])) {
                return OCTET_STREAM;
            }
        }
        return TEXT_PLAIN;
    }

    private static boolean isWhitespace(byte c) {
        return c == '\t' || c == '\n' || c == 0x0c || c == '\r' || c == ' ';
    }

    /** Go's sniff "binary data" bytes: control characters other than tab, newline, form feed, CR and ESC. */
    private static boolean isBinary(byte c) {
        int v = c & 0xff;
        return v <= 0x08 || v == 0x0b || (v >= 0x0e && v <= 0x1a) || (v >= 0x1c && v <= 0x1f);
    }
}
