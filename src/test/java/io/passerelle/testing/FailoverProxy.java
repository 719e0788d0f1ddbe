package io.passerelle.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of several replicas, as a Kubernetes Service is: each new connection goes to the first
 * replica that accepts it, so that when one dies its clients' reconnects reach another. When either side of a
 * connection ends, so does the other.
 */
public final class FailoverProxy implements AutoCloseable {

    private final ServerSocket server;
    private final List<Integer> replicaPorts;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private FailoverProxy(ServerSocket server, List<Integer> replicaPorts) {
        this.server = server;
        this.replicaPorts = replicaPorts;
    }

    public static FailoverProxy start(List<Integer> replicaPorts) throws IOException {
        ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        FailoverProxy proxy = new FailoverProxy(server, replicaPorts);
        Thread acceptor = new Thread(proxy::accept, "failover-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
        return proxy;
    }

    public URI ws() {
        return URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ws");
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket replica = connectToAReplica();
                if (replica == null) {
                    client.close();
                    continue;
                }
                open.add(client);
                open.add(replica);
                pipe(client, replica);
                pipe(replica, client);
            } catch (IOException e) {
                // the proxy closed
            }
        }
    }

    private Socket connectToAReplica() {
        for (int port : replicaPorts) {
            Socket replica = new Socket();
            try {
                replica.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return replica;
            } catch (IOException refused) {
                closeQuietly(replica);
            }
        }
        return null;
    }

    private void pipe(Socket from, Socket to) {
        Thread copier = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ended) {
                // one side is gone
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "failover-proxy-pipe");
        copier.setDaemon(true);
        copier.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(this::closeQuietly);
    }
}
