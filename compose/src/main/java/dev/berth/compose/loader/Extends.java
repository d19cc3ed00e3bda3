package dev.berth.compose.loader;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Resolves {@code extends} in one normalized document: the base service (from the same document
 * or from {@code file}, loaded with its own directory as base for relative paths) is merged under
 * the extending service with the usual merge rules. Chains are followed; cycles are errors.
 */
final class Extends {
    private Extends() {}

    static void resolve(ProjectLoader loader, Map<String, Object> doc, Path file, Path baseDir, Function<String, String> env,
                        Deque<Path> stack, List<String> warnings, YamlTree.Parsed parsed) {
        Map<String, Object> services = Values.map(doc, "services");
        Map<String, Map<String, Object>> done = new LinkedHashMap<>();
        for (String name : new ArrayList<>(services.keySet())) {
            services.put(name, resolveOne(loader, services, name, file, env, stack, warnings, new ArrayList<>(), done, parsed));
        }
    }

    private static Map<String, Object> resolveOne(ProjectLoader loader, Map<String, Object> services, String name, Path file,
                                                  Function<String, String> env, Deque<Path> stack, List<String> warnings,
                                                  List<String> chain, Map<String, Map<String, Object>> done, YamlTree.Parsed parsed) {
        if (done.containsKey(name)) {
            return done.get(name);
        }
        if (chain.contains(name)) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "circular reference with extends in service " + name + ": " + chain);
        }
        Object raw = services.get(name);
        if (!(raw instanceof Map<?, ?> rm)) {
            throw new BerthException(ErrorKind.INVALID_ARGUMENT, "cannot extend service \"" + name + "\" in " + file + ": service not found");
        }
        Map<String, Object> svc = Normalizer.cast(rm);
        Object ext = svc.get("extends");
        if (ext == null) {
            done.put(name, svc);
            return svc;
        }
        chain.add(name);
        String baseName;
        String baseFile = null;
        if (ext instanceof Map<?, ?> em) {
            baseName = Values.str(em.get("service"));
            baseFile = Values.str(em.get("file"));
        } else {
            baseName = Values.str(ext);
        }
        Map<String, Object> base;
        if (baseFile == null) {
            base = resolveOne(loader, services, baseName, file, env, stack, warnings, chain, done, parsed);
        } else {
            Path other = file.getParent().resolve(baseFile).normalize();
            Map<String, Object> otherDoc = loader.loadFile(other, other.getParent(), env, stack, warnings);
            Object b = Values.map(otherDoc, "services").get(baseName);
            if (!(b instanceof Map<?, ?> bm)) {
                throw new BerthException(ErrorKind.INVALID_ARGUMENT, parsed.where("services." + name + ".extends")
                        + ": cannot extend service \"" + name + "\": service \"" + baseName + "\" not found in " + other);
            }
            base = Normalizer.cast(bm);
        }
        Map<String, Object> override = new LinkedHashMap<>(svc);
        override.remove("extends");
        Map<String, Object> baseCopy = Values.deepCopyMap(base);
        baseCopy.remove("extends");
        Map<String, Object> result = Merger.merge(baseCopy, override);
        done.put(name, result);
        return result;
    }
}
