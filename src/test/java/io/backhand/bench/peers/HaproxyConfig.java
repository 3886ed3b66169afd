package io.backhand.bench.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** HAProxy in HTTP mode with server-side connection reuse; {@code balance roundrobin} or {@code leastconn}, one thread. */
public final class HaproxyConfig extends PeerConfig
{
    public HaproxyConfig(Path dir, int port, List<Backend> backends, String method)
    {
        super(dir, port, backends, method);
    }

    @Override
    public List<String> write() throws IOException
    {
        StringBuilder servers = new StringBuilder();
        for (Backend b : backends)
            servers.append("  server ").append(b.name()).append(' ').append(b.hostPort()).append('\n');
        String cfg = """
            global
              nbthread 1
              maxconn 8000
              pidfile %1$s/haproxy.pid
            defaults
              mode http
              timeout connect 3s
              timeout client 60s
              timeout server 60s
              timeout http-keep-alive 60s
              option http-keep-alive
              http-reuse always
            frontend front
              bind 127.0.0.1:%2$d backlog 4096
              default_backend cluster
            backend cluster
              balance %3$s
            %4$s""".formatted(dir, port, method, servers);
        Path file = writeFile("haproxy.cfg", cfg);
        return List.of("haproxy", "-db", "-f", file.toString());
    }
}
