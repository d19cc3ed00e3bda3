package dev.berth.builder.exec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The classic output of a build whose independent stages run at the same time. dockerd's classic
 * builder is sequential, so its output is one readable sequence of steps; to keep that, every
 * step stays one contiguous block ("Step N/M : …", the command's output, " ---> id"):
 * <ul>
 *   <li>one stage at a time owns the console: the first stage to start a step while nobody owns
 *       it; the owner's output is written live (so a long RUN streams as it runs);</li>
 *   <li>the other stages write their steps into a per-step buffer; a finished step is written
 *       at once when nobody owns the console, otherwise queued and written (in the order the
 *       steps finished) right after the owner's current step ends.</li>
 * </ul>
 * Step numbers are fixed up front from the sequential build order, so "Step 7/12" means the
 * same instruction as in a sequential build; in a parallel build the numbers may simply appear
 * out of order. Thread-safe: every write to the underlying output happens under one lock, so
 * the underlying output need not be thread-safe.
 */
final class ParallelOutput {
    private final BuildOutput sink;
    private final Object lock = new Object();
    private final Deque<List<Runnable>> finished = new ArrayDeque<>();
    private Stage owner;
    private volatile boolean aborted;

    ParallelOutput(BuildOutput sink) {
        this.sink = sink;
    }

    /**
     * Marks the build as failed: every stage's {@link BuildOutput#cancelled()} turns true, so that
     * a worker watching it stops a RUN in progress (a silent RUN may not notice an interrupt).
     */
    void abort() {
        aborted = true;
    }

    /** An output for one stage; use it from that stage's thread only. */
    Stage stage() {
        return new Stage();
    }

    /** Writes outside any stage (global ARG steps, the final messages). */
    BuildOutput direct() {
        return new BuildOutput() {
            @Override
            public void stream(String text) {
                synchronized (lock) {
                    sink.stream(text);
                }
            }

            @Override
            public void aux(String imageId) {
                synchronized (lock) {
                    sink.aux(imageId);
                }
            }

            @Override
            public void message(Object jsonMessage) {
                synchronized (lock) {
                    sink.message(jsonMessage);
                }
            }

            @Override
            public boolean cancelled() {
                return sink.cancelled();
            }
        };
    }

    /** One stage's view: buffered unless it owns the console. */
    final class Stage implements BuildOutput, StepAware {
        private List<Runnable> block = new ArrayList<>();

        private void write(Runnable r) {
            synchronized (lock) {
                if (owner == this) {
                    r.run();
                } else {
                    block.add(r);
                }
            }
        }

        @Override
        public void beginStep() {
            synchronized (lock) {
                if (owner == null && block.isEmpty()) {
                    owner = this;
                }
            }
        }

        @Override
        public void endStep() {
            synchronized (lock) {
                if (owner == this) {
                    owner = null;
                    while (!finished.isEmpty()) {
                        finished.poll().forEach(Runnable::run);
                    }
                } else if (!block.isEmpty()) {
                    if (owner == null) {
                        block.forEach(Runnable::run);
                    } else {
                        finished.add(block);
                    }
                    block = new ArrayList<>();
                }
            }
        }

        @Override
        public void stream(String text) {
            write(() -> sink.stream(text));
        }

        @Override
        public void aux(String imageId) {
            write(() -> sink.aux(imageId));
        }

        @Override
        public void message(Object jsonMessage) {
            write(() -> sink.message(jsonMessage));
        }

        @Override
        public boolean cancelled() {
            return aborted || sink.cancelled();
        }
    }

    /** Step boundaries, for outputs that group by step. */
    interface StepAware {
        void beginStep();

        void endStep();
    }
}
