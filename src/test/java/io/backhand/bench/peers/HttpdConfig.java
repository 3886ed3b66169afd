package io.backhand.bench.peers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Apache httpd with mod_proxy_balancer, {@code lbmethod=bybusyness} or {@code lbmethod=heartbeat}. Its own
 * ServerRoot, PidFile, runtime directory and logs; the event MPM.
 *
 * <p>For heartbeat, mod_heartmonitor takes the backends' {@code v=1&ready=N&busy=N} figures as POSTs to its
 * {@code heartbeat} handler at {@code /hb} and keeps them in the shared memory that mod_lbmethod_heartbeat reads
 * on every request. httpd 2.4.71 accepts those POSTs only while {@code HeartbeatListen} is configured, and
 * its multicast join cannot be pinned to {@code lo} (it joins on the default interface). So HeartbeatListen
 * names a unicast loopback UDP port: the join then fails at once (logged as AH02072, harmless), no group is
 * joined anywhere, and the handler is active.</p>
 */
public final class HttpdConfig extends PeerConfig
{
    private static final String MODULES = "/usr/lib/apache2/modules/";
    private final int heartbeatUdpPort;

    /** @param heartbeatUdpPort a free loopback UDP port for HeartbeatListen (used only by the heartbeat method) */
    public HttpdConfig(Path dir, int port, List<Backend> backends, String method, int heartbeatUdpPort)
    {
        super(dir, port, backends, method);
        this.heartbeatUdpPort = heartbeatUdpPort;
    }

    @Override
    public String heartbeatUrl()
    {
        return method.equals("heartbeat") ? "http://127.0.0.1:" + port + "/hb" : null;
    }

    @Override
    public List<String> write() throws IOException
    {
        openDir("logs");
        openDir("run");
        StringBuilder members = new StringBuilder();
        for (Backend b : backends)
            members.append("  BalancerMember http://").append(b.hostPort()).append(" retry=1\n");
        StringBuilder modules = new StringBuilder();
        for (String m : List.of("mpm_event", "authz_core", "authz_host", "slotmem_shm", "proxy", "proxy_http", "proxy_balancer",
            "lbmethod_byrequests", "lbmethod_bybusyness", "lbmethod_heartbeat", "heartmonitor"))
            modules.append("LoadModule ").append(m).append("_module ").append(MODULES).append("mod_").append(m).append(".so\n");
        // httpd refuses to serve as root: its children run as nobody, which is why logs/ is world-writable.
        String user = "root".equals(System.getProperty("user.name")) ? "User nobody\nGroup nogroup\n" : "";
        if (method.equals("heartbeat"))
            user += "HeartbeatListen 127.0.0.1:" + heartbeatUdpPort + "\n";
        String conf = """
            ServerRoot "%1$s"
            DefaultRuntimeDir "%1$s/run"
            PidFile "%1$s/run/httpd.pid"
            Mutex file:%1$s/run default
            ErrorLog "%1$s/logs/error.log"
            LogLevel warn
            ServerName 127.0.0.1
            Listen 127.0.0.1:%2$d
            %3$s%4$s
            StartServers 2
            ServerLimit 4
            ThreadsPerChild 64
            MaxRequestWorkers 256
            MinSpareThreads 64
            MaxSpareThreads 256
            ListenBacklog 4096
            KeepAlive On
            MaxKeepAliveRequests 0
            KeepAliveTimeout 60
            <Location "/hb">
              SetHandler heartbeat
              Require ip 127.0.0.0/8
            </Location>
            <Proxy "balancer://cluster">
            %5$s  ProxySet lbmethod=%6$s
            </Proxy>
            ProxyPass "/hb" "!"
            ProxyPass "/" "balancer://cluster/"
            """.formatted(dir, port, modules, user, members, method);
        Path file = writeFile("httpd.conf", conf);
        return List.of("/usr/sbin/apache2", "-d", dir.toString(), "-f", file.toString(), "-DFOREGROUND");
    }
}
