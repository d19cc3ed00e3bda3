package dev.berth.daemon;

import dev.berth.api.backend.BuildBackend;
import dev.berth.api.backend.CommitBackend;
import dev.berth.api.backend.MessageSink;
import dev.berth.api.model.ChangeItem;
import dev.berth.api.model.ContainerConfig;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Decorators that call a hook after operations that add images (build, commit), so that the
 * storage budget checks soon instead of at its next minute tick. Stateless; as thread-safe as the
 * wrapped backends and the hook.
 */
final class NotifyingBackends {
    private NotifyingBackends() {
    }

    /** Runs {@code hook} after every build, successful or not (a failed build may have committed steps). */
    static BuildBackend build(BuildBackend b, Runnable hook) {
        return new BuildBackend() {
            @Override
            public void build(InputStream context, Map<String, List<String>> query, String registryConfig, MessageSink out) {
                try {
                    b.build(context, query, registryConfig, out);
                } finally {
                    hook.run();
                }
            }

            @Override
            public long prune() {
                return b.prune();
            }
        };
    }

    /** Runs {@code hook} after every successful commit. */
    static CommitBackend commit(CommitBackend c, Runnable hook) {
        return new CommitBackend() {
            @Override
            public String commit(String container, String repo, String tag, String comment, String author, boolean pause,
                                 List<String> changes, ContainerConfig config) {
                String id = c.commit(container, repo, tag, comment, author, pause, changes, config);
                hook.run();
                return id;
            }

            @Override
            public List<ChangeItem> changes(String container) {
                return c.changes(container);
            }
        };
    }
}
