package dev.berth.compose.loader;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads dotenv files as Compose does: {@code KEY=VALUE} lines, optional {@code export } prefix,
 * {@code #} comments (inline only after whitespace in unquoted values), single quotes literal,
 * double quotes with {@code \n \t \" \\} escapes, interpolation of {@code ${VAR}} in unquoted
 * and double-quoted values against earlier lines then {@code lookup}. A line {@code KEY} without
 * '=' takes KEY from {@code lookup}. Stateless utility.
 */
public final class EnvFile {
    private EnvFile() {}

    public static Map<String, String> read(Path file, Function<String, String> lookup) {
        try {
            return parse(file.toString(), Files.readString(file), lookup);
        } catch (IOException e) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "couldn't read env file " + file + ": " + e.getMessage(), e);
        }
    }

    public static Map<String, String> parse(String name, String text, Function<String, String> lookup) {
        Map<String, String> out = new LinkedHashMap<>();
        Function<String, String> env = k -> out.containsKey(k) ? out.get(k) : lookup.apply(k);
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                String key = line;
                checkKey(name, i, key);
                String v = lookup.apply(key);
                if (v != null) {
                    out.put(key, v);
                }
                continue;
            }
            String key = line.substring(0, eq).strip();
            checkKey(name, i, key);
            String raw = line.substring(eq + 1).stripLeading();
            String value;
            if (raw.startsWith("'")) {
                String acc = raw.substring(1);
                int startLine = i;
                while (acc.indexOf('\'') < 0) {
                    if (i + 1 >= lines.length) {
                        throw new BerthException(ErrorKind.INVALID_ARGUMENT, name + ":" + (startLine + 1) + ": unterminated quoted value");
                    }
                    acc = acc + "\n" + lines[++i];
                }
                value = acc.substring(0, acc.indexOf('\''));
            } else if (raw.startsWith("\"")) {
                StringBuilder sb = new StringBuilder();
                String rest = raw.substring(1);
                int startLine = i;
                while (true) {
                    int j = 0;
                    boolean closed = false;
                    while (j < rest.length()) {
                        char c = rest.charAt(j);
                        if (c == '\\' && j + 1 < rest.length()) {
                            char e = rest.charAt(++j);
                            sb.append(switch (e) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                default -> e;
                            });
                        } else if (c == '"') {
                            closed = true;
                            break;
                        } else {
                            sb.append(c);
                        }
                        j++;
                    }
                    if (closed) {
                        break;
                    }
                    if (i + 1 >= lines.length) {
                        throw new BerthException(ErrorKind.INVALID_ARGUMENT, name + ":" + (startLine + 1) + ": unterminated quoted value");
                    }
                    sb.append('\n');
                    rest = lines[++i];
                }
                value = new Interpolator(env).interpolate(sb.toString());
            } else {
                int hash = raw.indexOf(" #");
                if (hash >= 0) {
                    raw = raw.substring(0, hash);
                }
                value = new Interpolator(env).interpolate(raw.strip());
            }
            out.put(key, value);
        }
        return out;
    }

    private static void checkKey(String name, int line, String key) {
        if (key.isEmpty() || !key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT,
                    name + ":" + (line + 1) + ": unexpected character in variable name \"" + key + "\"");
        }
    }
}
