package dev.berth.daemon.container;

import dev.berth.common.BerthException;
import dev.berth.common.ErrorKind;

/**
 * Rewrites crun's start errors into the wording dockerd (with runc) uses, because the docker CLI
 * derives {@code docker run}'s exit code from the message text: "executable file not found" or
 * "no such file or directory" → 127, "permission denied" → 126, anything else → 125. crun says
 * "executable file `x` not found in $PATH: No such file or directory" and "open executable:
 * Permission denied" (capitalised), which the CLI would report as 125. Pure; thread-safe.
 */
final class RuntimeErrors {
    private RuntimeErrors() {}

    static RuntimeException dockerWording(RuntimeException ex, String path) {
        String m = ex.getMessage();
        if (m == null || path == null) {
            return ex;
        }
        String fixed = rewrite(m, path);
        if (fixed.equals(m)) {
            return ex;
        }
        return new BerthException(ErrorKind.INVALID_ARGUMENT, fixed, ex);
    }

    static String rewrite(String m, String path) {
        int at = m.indexOf("executable file `");
        if (at >= 0 && m.contains("not found in $PATH")) {
            String tail = path.contains("/")
                    ? "exec: \"" + path + "\": stat " + path + ": no such file or directory"
                    : "exec: \"" + path + "\": executable file not found in $PATH";
            return m.substring(0, at) + "unable to start container process: " + tail;
        }
        at = m.indexOf("open executable: Permission denied");
        if (at >= 0) {
            return m.substring(0, at) + "unable to start container process: exec: \"" + path + "\": permission denied";
        }
        return m;
    }
}
