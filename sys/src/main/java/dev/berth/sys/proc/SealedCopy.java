package dev.berth.sys.proc;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.berth.sys.unix.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A copy of an executable in a sealed memfd this process keeps open, which others run as
 * {@code /proc/<our pid>/fd/<n>}.
 *
 * <p>Why: runc and crun guard their binary against a container rewriting it through
 * {@code /proc/self/exe} (CVE-2019-5736) by copying themselves into a memfd sealed against writes
 * and re-executing, on every call — unless they already run from such a memfd. Handing them one,
 * made once, keeps the same guard (nobody can write a sealed copy) without the per-call copy
 * (1-3 ms of every {@code exec}). The copy is taken when asked: a runtime upgraded on disk is picked
 * up at the next daemon start. Stateless; the descriptors live as long as the process.
 */
public final class SealedCopy {
    private static final int MFD_CLOEXEC = 1;
    private static final int MFD_ALLOW_SEALING = 2;
    private static final int F_ADD_SEALS = 1033;
    /** F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE: what the runtimes check for. */
    private static final int SEALS = 0x1 | 0x2 | 0x4 | 0x8;
    private static final MethodHandle MEMFD_CREATE = Libc.downcall("memfd_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), -1);
    private static final MethodHandle FCNTL = Libc.downcall("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), 2);

    private SealedCopy() {}

    /** The sealed copy's path, or empty when it cannot be made (then run the binary itself). */
    public static Optional<Path> of(Path binary, String name) {
        if (!Files.isRegularFile(binary)) {
            return Optional.empty();
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment state = Libc.errnoState(a);
            int fd = (int) MEMFD_CREATE.invokeExact(state, a.allocateFrom(name), MFD_CLOEXEC | MFD_ALLOW_SEALING);
            if (fd < 0) {
                return Optional.empty();
            }
            Path self = Path.of("/proc/" + ProcessHandle.current().pid() + "/fd/" + fd);
            try (FileChannel in = FileChannel.open(binary); FileChannel out = FileChannel.open(self, StandardOpenOption.WRITE)) {
                long size = in.size();
                for (long done = 0; done < size; ) {
                    done += in.transferTo(done, size - done, out);
                }
            }
            // the channel above was a second open file: closed now, so the write seal can be added
            if ((int) FCNTL.invokeExact(state, fd, F_ADD_SEALS, SEALS) < 0 || !Files.isExecutable(self)) {
                return Optional.empty();
            }
            return Optional.of(self);
        } catch (IOException e) {
            return Optional.empty();
        } catch (Throwable t) {
            return Optional.empty();
        }
    }
}
