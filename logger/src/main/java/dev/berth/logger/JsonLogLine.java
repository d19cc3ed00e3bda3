package dev.berth.logger;

import dev.berth.common.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Docker's json-file line: {@code {"log":"…","stream":"stdout","attrs":{…},"time":"…"}} followed
 * by '\n', with the fields in dockerd's order, the time in Go's RFC 3339 with nanoseconds (trailing
 * zeros dropped, UTC) and the string escaped as dockerd escapes it (including {@code <}, {@code >},
 * {@code &}, U+2028 and U+2029; bytes that are not UTF-8 become U+FFFD). Stateless.
 */
public final class JsonLogLine {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JsonLogLine() {}

    /**
     * Appends one encoded line to {@code out}.
     *
     * @param attrs extra attributes (the {@code labels}/{@code env} log options); empty for none
     */
    public static void encode(LogMessage m, Map<String, String> attrs, ByteArrayOutputStream out) {
        out.writeBytes(LOG_KEY);
        escape(new String(m.data(), StandardCharsets.UTF_8), out);
        out.writeBytes(m.stderr() ? STDERR : STDOUT);
        if (!attrs.isEmpty()) {
            out.writeBytes(ATTRS_KEY);
            boolean first = true;
            for (var e : attrs.entrySet()) {
                out.write(first ? '{' : ',');
                first = false;
                out.write('"');
                escape(e.getKey(), out);
                out.writeBytes(COLON_QUOTE);
                escape(e.getValue(), out);
                out.write('"');
            }
            out.write('}');
        }
        out.writeBytes(TIME_KEY);
        out.writeBytes(formatTime(m.timeNanos()).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(END);
    }

    private static final byte[] LOG_KEY = "{\"log\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDOUT = "\",\"stream\":\"stdout\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] STDERR = "\",\"stream\":\"stderr\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ATTRS_KEY = ",\"attrs\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COLON_QUOTE = "\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIME_KEY = ",\"time\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"}\n".getBytes(StandardCharsets.US_ASCII);

    private static void escape(String s, ByteArrayOutputStream out) {
        int plainFrom = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean special = c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029';
            if (!special) {
                continue;
            }
            out.writeBytes(s.substring(plainFrom, i).getBytes(StandardCharsets.UTF_8));
            plainFrom = i + 1;
            switch (c) {
                case '"' -> out.writeBytes(new byte[] {'\\', '"'});
                case '\\' -> out.writeBytes(new byte[] {'\\', '\\'});
                case '\n' -> out.writeBytes(new byte[] {'\\', 'n'});
                case '\r' -> out.writeBytes(new byte[] {'\\', 'r'});
                case '\t' -> out.writeBytes(new byte[] {'\\', 't'});
                default -> out.writeBytes(new byte[] {'\\', 'u', HEX[c >> 12 & 0xf], HEX[c >> 8 & 0xf], HEX[c >> 4 & 0xf], HEX[c & 0xf]});
            }
        }
        out.writeBytes(s.substring(plainFrom).getBytes(StandardCharsets.UTF_8));
    }

    /** Go's {@code time.RFC3339Nano} in UTC: fraction without trailing zeros, none when zero. */
    public static String formatTime(long nanos) {
        long seconds = Math.floorDiv(nanos, 1_000_000_000L);
        int fraction = (int) Math.floorMod(nanos, 1_000_000_000L);
        String base = SECONDS.format(Instant.ofEpochSecond(seconds));
        if (fraction == 0) {
            return base + "Z";
        }
        String digits = String.format("%09d", fraction);
        int end = digits.length();
        while (digits.charAt(end - 1) == '0') {
            end--;
        }
        return base + "." + digits.substring(0, end) + "Z";
    }

    /** The string members of an {@code attrs} object, the parser positioned at its start; others are skipped. */
    private static Map<String, String> attrs(JsonParser p) {
        Map<String, String> out = new java.util.TreeMap<>();
        String name;
        while ((name = p.nextName()) != null) {
            if (p.nextToken() == JsonToken.VALUE_STRING) {
                out.put(name, p.getString());
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    /**
     * Decodes one line (without its '\n'); null when it is not a json-file record (a line cut short by a
     * crash, or foreign content), so that a reader can skip it.
     */
    public static LogMessage decode(byte[] line, int offset, int length) {
        String log = null;
        String stream = "stdout";
        String time = null;
        Map<String, String> attrs = Map.of();
        try (JsonParser p = Json.mapper().createParser(line, offset, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String name;
            while ((name = p.nextName()) != null) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "log" -> log = t == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "stream" -> stream = t == JsonToken.VALUE_STRING ? p.getString() : stream;
                    case "time" -> time = t == JsonToken.VALUE_STRING ? p.getString() : null;
                    case "attrs" -> attrs = t == JsonToken.START_OBJECT ? attrs(p) : attrs;
                    default -> p.skipChildren();
                }
            }
        } catch (JacksonException e) {
            return null;
        }
        if (log == null || time == null) {
            return null;
        }
        try {
            Instant t = Instant.parse(time);
            return new LogMessage(t.getEpochSecond() * 1_000_000_000L + t.getNano(), "stderr".equals(stream),
                    log.getBytes(StandardCharsets.UTF_8), attrs);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
