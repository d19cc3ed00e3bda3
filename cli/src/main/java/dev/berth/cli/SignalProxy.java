package dev.berth.cli;

import dev.berth.client.BerthClient;
import dev.berth.common.BerthException;
import sun.misc.Signal;

/**
 * {@code --sig-proxy}: forwards SIGINT and SIGTERM received by the CLI to the container (as
 * {@code POST /containers/{id}/kill?signal=…}) while {@code run}/{@code start -a} is attached
 * without a TTY, as the docker CLI does. In TTY raw mode Ctrl-C travels as a byte instead.
 */
final class SignalProxy {
    private SignalProxy() {}

    static void install(BerthClient client, String containerId) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Signal.handle(new Signal(name), s -> {
                    try {
                        client.containers().kill(containerId, "SIG" + name);
                    } catch (BerthException ignored) {
                        // the container may already be gone
                    }
                });
            } catch (IllegalArgumentException ignored) {
                // signal not available
            }
        }
    }
}
