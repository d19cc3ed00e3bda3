import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Build step of the cli module (run with the JDK's source launcher at package time): rewrites the
 * class files of a jar whose classes are older than Java 6 (picocli ships Java 5 class files) as
 * Java 8 class files with stack maps, so the JDK AOT cache can hold them and the split verifier
 * checks them quickly. Behaviour is unchanged: only the version and the StackMapTable differ.
 * Idempotent; leaves a jar without old classes untouched. Usage: UpgradeClassFiles JAR...
 */
public class UpgradeClassFiles {
    public static void main(String[] args) throws IOException {
        for (String a : args) {
            upgrade(Path.of(a));
        }
    }

    static void upgrade(Path jar) throws IOException {
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        int upgraded = 0;
        try (JarFile in = new JarFile(jar.toFile());
             URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
             OutputStream os = Files.newOutputStream(tmp);
             JarOutputStream out = new JarOutputStream(os)) {
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(loader))));
            var entries = in.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                byte[] bytes;
                try (InputStream is = in.getInputStream(e)) {
                    bytes = is.readAllBytes();
                }
                if (e.getName().endsWith(".class") && !e.getName().startsWith("META-INF/")) {
                    ClassModel m = cf.parse(bytes);
                    if (m.majorVersion() < 50) {
                        // Rebuilding every method body makes the API compute the StackMapTable.
                        java.lang.classfile.ClassTransform version = (builder, element) -> {
                            if (element instanceof java.lang.classfile.ClassFileVersion) {
                                builder.withVersion(52, 0);
                            } else {
                                builder.with(element);
                            }
                        };
                        bytes = cf.transformClass(m, version.andThen(java.lang.classfile.ClassTransform.transformingMethodBodies(
                                java.lang.classfile.CodeTransform.ACCEPT_ALL)));
                        upgraded++;
                    }
                }
                JarEntry copy = new JarEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        if (upgraded == 0) {
            Files.delete(tmp);
            return;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("UpgradeClassFiles: " + jar.getFileName() + ": " + upgraded + " classes now Java 8 with stack maps");
    }
}
