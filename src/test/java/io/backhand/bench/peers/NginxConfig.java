package io.backhand.bench.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx as a reverse proxy with keep-alive connections to the backends. {@code method} is the upstream
 * directive: empty for round robin, {@code least_conn}, or {@code random two least_conn}. One worker process,
 * as a single-core comparison with the other balancers needs; connection counts are per worker, so one worker
 * also gives least_conn its best view.
 */
public final class NginxConfig extends PeerConfig
{
    public NginxConfig(Path dir, int port, List<Backend> backends, String method)
    {
        super(dir, port, backends, method);
    }

    @Override
    public List<String> write() throws IOException
    {
        Path temp = openDir("temp");
        openDir("logs");
        StringBuilder servers = new StringBuilder();
        for (Backend b : backends)
            servers.append("    server ").append(b.hostPort()).append(" max_fails=0;\n");
        String conf = """
            worker_processes 1;
            daemon off;
            pid %1$s/nginx.pid;
            error_log %1$s/logs/error.log warn;
            events { worker_connections 8192; }
            http {
              access_log off;
              client_body_temp_path %2$s/body;
              proxy_temp_path %2$s/proxy;
              fastcgi_temp_path %2$s/fastcgi;
              uwsgi_temp_path %2$s/uwsgi;
              scgi_temp_path %2$s/scgi;
              upstream backends {
                %3$s
            %4$s    keepalive 256;
              }
              server {
                listen 127.0.0.1:%5$d backlog=4096;
                location / {
                  proxy_pass http://backends;
                  proxy_http_version 1.1;
                  proxy_set_header Connection "";
                  proxy_next_upstream off;
                  proxy_read_timeout 60s;
                }
              }
            }
            """.formatted(dir, temp, method.isEmpty() ? "" : method + ";", servers, port);
        Path file = writeFile("nginx.conf", conf);
        return List.of("nginx", "-p", dir.toString(), "-c", file.toString(), "-e", dir.resolve("logs/error.log").toString());
    }
}
