package dev.berth.builder.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.builder.instructions.Dockerfile;
import dev.berth.builder.instructions.DockerfilePrinter;
import dev.berth.builder.instructions.Instruction;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property: for Dockerfiles built from random instructions (every instruction kind, exec and
 * shell forms, flags, here-documents), parse → print → parse yields the same instructions, and
 * printing is a fixpoint. Origins (line numbers, original text) are left out of the comparison: the
 * printer lays the file out canonically.
 */
class ParsePrintParsePropertiesTest {

    @Property(tries = 1000)
    void parsePrintParseKeepsTheAst(@ForAll("dockerfiles") String text) {
        Dockerfile first = Dockerfile.parse(text);
        String printed = DockerfilePrinter.print(first);
        Dockerfile second = Dockerfile.parse(printed);
        assertThat(strip(second.instructions())).as("reparsed from:\n%s\n---- printed:\n%s", text, printed)
                .isEqualTo(strip(first.instructions()));
        assertThat(DockerfilePrinter.print(second)).isEqualTo(printed);
    }

    /** Found by the property above: a trailing backslash printed in shell form joined the next line. */
    @Example
    void aBackslashInAPathKeepsTheJsonForm() {
        Dockerfile first = Dockerfile.parse("FROM a\nCOPY [\"a\", \"a\\\\\"]\nRUN true\n");
        String printed = DockerfilePrinter.print(first);
        assertThat(printed).contains("COPY [\"a\", \"a\\\\\"]");
        assertThat(strip(Dockerfile.parse(printed).instructions())).isEqualTo(strip(first.instructions()));
    }

    /** The instructions as nested lists of their components, without {@link Instruction.Origin}s. */
    static Object strip(Object o) {
        if (o instanceof List<?> l) {
            return l.stream().map(ParsePrintParsePropertiesTest::strip).toList();
        }
        if (o instanceof Record r && !(o instanceof Instruction.Origin)) {
            List<Object> out = new ArrayList<>();
            out.add(r.getClass().getSimpleName());
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                if (c.getType() == Instruction.Origin.class) {
                    continue;
                }
                try {
                    out.add(c.getName() + "=" + strip(c.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return out;
        }
        return String.valueOf(o);
    }

    @Provide
    Arbitrary<String> dockerfiles() {
        Arbitrary<String> body = Arbitraries.oneOf(run(), copy(), env(), label(), arg(), cmd(), healthcheck(), misc())
                .list().ofMinSize(0).ofMaxSize(12).map(l -> String.join("\n", l));
        return Combinators.combine(arg().list().ofMaxSize(2), from(), body)
                .as((args, from, rest) -> String.join("\n", args) + "\n" + from + "\n" + rest + "\n");
    }

    private static Arbitrary<String> word() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789._-").ofMinLength(1).ofMaxLength(8)
                .filter(w -> Character.isLetter(w.charAt(0)));
    }

    /** Words with characters that need JSON escaping in the exec form. */
    private static Arbitrary<String> jsonWord() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars(" \"\\$'/=:").ofMinLength(0).ofMaxLength(8);
    }

    private static Arbitrary<String> json() {
        return jsonWord().list().ofMinSize(1).ofMaxSize(4).map(l -> {
            StringBuilder sb = new StringBuilder("[");
            for (String w : l) {
                sb.append(sb.length() > 1 ? ", " : "").append('"').append(w.replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            }
            return sb.append(']').toString();
        });
    }

    private static Arbitrary<String> shellLine() {
        return word().list().ofMinSize(1).ofMaxSize(5).map(l -> String.join(" ", l));
    }

    private static Arbitrary<String> heredocBody() {
        return shellLine().list().ofMinSize(0).ofMaxSize(3).map(l -> l.isEmpty() ? "" : String.join("\n", l) + "\n");
    }

    private static Arbitrary<String> from() {
        return Combinators.combine(word(), word().injectNull(0.5), Arbitraries.of("", "--platform=linux/arm64 "))
                .as((img, stage, plat) -> "FROM " + plat + img + (stage == null ? "" : " AS " + stage));
    }

    private static Arbitrary<String> run() {
        Arbitrary<String> shell = Combinators.combine(Arbitraries.of("", "--network=none ", "--mount=type=cache,target=/c "),
                shellLine()).as((f, l) -> "RUN " + f + l);
        Arbitrary<String> exec = json().map(j -> "RUN " + j);
        Arbitrary<String> heredoc = Combinators.combine(Arbitraries.of("<<EOF", "<<'EOF'", "cat <<EOF > /out", "<<-EOF"),
                heredocBody()).as((h, b) -> "RUN " + h + "\n" + b + "EOF");
        return Arbitraries.oneOf(shell, exec, heredoc);
    }

    private static Arbitrary<String> copy() {
        Arbitrary<String> flags = Arbitraries.of("", "--chown=1000:1000 ", "--from=build ", "--link ", "--chmod=644 ");
        Arbitrary<String> plain = Combinators.combine(flags, word().list().ofMinSize(1).ofMaxSize(3), word())
                .as((f, srcs, dst) -> "COPY " + f + String.join(" ", srcs) + " /" + dst);
        Arbitrary<String> jsonForm = json().filter(j -> j.contains(",")).map(j -> "COPY " + j);
        Arbitrary<String> heredoc = Combinators.combine(word(), heredocBody())
                .as((dst, b) -> "COPY <<EOF /" + dst + "\n" + b + "EOF");
        Arbitrary<String> add = Combinators.combine(word(), word()).as((s, d) -> "ADD " + s + " /" + d);
        return Arbitraries.oneOf(plain, jsonForm, heredoc, add);
    }

    private static Arbitrary<String> value() {
        return Arbitraries.oneOf(word(), shellLine().map(l -> "\"" + l + "\""), Arbitraries.just("\"\""),
                Combinators.combine(word(), word()).as((a, b) -> a + "\\ " + b));
    }

    private static Arbitrary<String> env() {
        Arbitrary<String> modern = Combinators.combine(word(), value()).as((k, v) -> k + "=" + v)
                .list().ofMinSize(1).ofMaxSize(3).map(l -> "ENV " + String.join(" ", l));
        Arbitrary<String> legacy = Combinators.combine(word(), shellLine()).as((k, v) -> "ENV " + k + " " + v);
        return Arbitraries.oneOf(modern, legacy);
    }

    private static Arbitrary<String> label() {
        Arbitrary<String> key = Arbitraries.oneOf(word(), word().map(w -> "\"com.example." + w + "\""));
        return Combinators.combine(key, value()).as((k, v) -> k + "=" + v)
                .list().ofMinSize(1).ofMaxSize(3).map(l -> "LABEL " + String.join(" ", l));
    }

    private static Arbitrary<String> arg() {
        return Combinators.combine(word(), word().injectNull(0.5))
                .as((n, d) -> "ARG " + n + (d == null ? "" : "=" + d));
    }

    private static Arbitrary<String> cmd() {
        Arbitrary<String> kw = Arbitraries.of("CMD", "ENTRYPOINT");
        return Combinators.combine(kw, Arbitraries.oneOf(json(), shellLine())).as((k, c) -> k + " " + c);
    }

    private static Arbitrary<String> healthcheck() {
        Arbitrary<String> opts = Arbitraries.of("", "--interval=30s ", "--timeout=1m30s --retries=3 ",
                "--start-period=5s --start-interval=500ms ");
        Arbitrary<String> check = Combinators.combine(opts, Arbitraries.oneOf(json(), shellLine()))
                .as((o, c) -> "HEALTHCHECK " + o + "CMD " + c);
        return Arbitraries.oneOf(check, Arbitraries.just("HEALTHCHECK NONE"));
    }

    private static Arbitrary<String> misc() {
        return Arbitraries.oneOf(word().map(w -> "WORKDIR /" + w), word().map(w -> "USER " + w),
                Arbitraries.of("EXPOSE 80", "EXPOSE 80/tcp 443 53/udp", "STOPSIGNAL SIGTERM", "SHELL [\"/bin/sh\", \"-c\"]",
                        "VOLUME /data", "VOLUME [\"/a b\", \"/c\"]", "ONBUILD RUN echo hi", "MAINTAINER me <me@x>"));
    }
}
