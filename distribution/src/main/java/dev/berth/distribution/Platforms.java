package dev.berth.distribution;

import dev.berth.common.BerthException;
import dev.berth.oci.image.Descriptor;
import dev.berth.oci.image.Descriptor.Platform;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Platform parsing and selection from an index. Pure utility. */
public final class Platforms {
    private Platforms() {}

    /** The platform this JVM runs on, e.g. linux/amd64 (Docker's default pull platform). */
    public static Platform host() {
        String arch = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> new Platform("amd64", "linux", null);
            case "aarch64", "arm64" -> new Platform("arm64", "linux", "v8");
            case "arm" -> new Platform("arm", "linux", "v7");
            case "ppc64le", "s390x", "riscv64" -> new Platform(arch, "linux", null);
            default -> new Platform(arch, "linux", null);
        };
    }

    /** Parses {@code os[/arch[/variant]]} as {@code docker pull --platform} takes it; null or blank gives the host's. */
    public static Platform parse(String s) {
        if (s == null || s.isBlank()) {
            return host();
        }
        String[] p = s.trim().toLowerCase(Locale.ROOT).split("/");
        if (p.length > 3 || p[0].isEmpty()) {
            throw BerthException.invalid("invalid platform: %s", s);
        }
        String os = p[0];
        String arch = p.length > 1 ? normalizeArch(p[1]) : host().architecture();
        String variant = p.length > 2 ? p[2] : null;
        if (arch.equals("arm64") && variant == null) {
            variant = "v8";
        }
        return new Platform(arch, os, variant);
    }

    private static String normalizeArch(String a) {
        return switch (a) {
            case "x86_64", "x86-64" -> "amd64";
            case "aarch64" -> "arm64";
            case "armhf" -> "arm";
            default -> a;
        };
    }

    /** {@code linux/amd64} or {@code linux/arm64/v8}. */
    public static String format(Platform p) {
        return p.os() + "/" + p.architecture() + (p.variant() != null && !p.variant().isEmpty() ? "/" + p.variant() : "");
    }

    /** True when a manifest for {@code have} runs on {@code want}. */
    public static boolean matches(Platform want, Platform have) {
        if (have == null || !want.os().equals(have.os()) || !want.architecture().equals(normalizeArch(have.architecture()))) {
            return false;
        }
        String wv = want.variant();
        String hv = have.variant();
        if (want.architecture().equals("arm64")) {
            wv = wv == null ? "v8" : wv;
            hv = hv == null || hv.isEmpty() ? "v8" : hv;
        }
        return wv == null || wv.isEmpty() || wv.equals(hv);
    }

    /** The first manifest of an index that matches {@code want} (attestation entries never match). */
    public static Optional<Descriptor> select(List<Descriptor> manifests, Platform want) {
        if (manifests == null) {
            return Optional.empty();
        }
        return manifests.stream().filter(d -> matches(want, d.platform())).findFirst();
    }
}
