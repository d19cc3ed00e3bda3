package dev.berth.sys.net;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** {@link PortProbe} that binds a socket for a moment. Stateless and thread-safe. */
public final class SocketPortProbe implements PortProbe {
    @Override
    public boolean isFree(String proto, String hostIp, int port) {
        try {
            InetSocketAddress addr = new InetSocketAddress(InetAddress.getByName(hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp), port);
            if ("udp".equals(proto)) {
                try (DatagramSocket s = new DatagramSocket(null)) {
                    s.bind(addr);
                }
            } else {
                try (ServerSocket s = new ServerSocket()) {
                    s.setReuseAddress(true);
                    s.bind(addr);
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
