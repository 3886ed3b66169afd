package io.backhand.bench.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.backhand.bench.peers.Backend;
import io.backhand.bench.peers.HaproxyConfig;
import io.backhand.bench.peers.HttpdConfig;
import io.backhand.bench.peers.NginxConfig;
import io.backhand.bench.peers.PeerConfig;

/** A peer balancer (nginx, HAProxy, httpd) with one method, each instance its own server process and directory. */
record PeerContender(String label, Factory factory) implements Contender
{
    interface Factory
    {
        PeerConfig make(Path dir, int port, List<Backend> backends);
    }

    static PeerContender nginx(String method)
    {
        return new PeerContender("nginx " + (method.isEmpty() ? "round robin" : method), (d, p, b) -> new NginxConfig(d, p, b, method));
    }

    static PeerContender haproxy(String method)
    {
        return new PeerContender("haproxy " + method, (d, p, b) -> new HaproxyConfig(d, p, b, method));
    }

    static PeerContender httpd(String method)
    {
        return new PeerContender("httpd " + method, (d, p, b) -> new HttpdConfig(d, p, b, method, freeUdp()));
    }

    private static int freeUdp()
    {
        try
        {
            return Env.freeUdpPort();
        }
        catch (java.io.IOException e)
        {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus) throws Exception
    {
        List<Proc> procs = new ArrayList<>();
        List<String> entries = new ArrayList<>();
        List<String> heartbeats = new ArrayList<>();
        List<PeerConfig> configs = new ArrayList<>();
        Running running = new Running()
        {
            @Override
            public List<String> entries()
            {
                return entries;
            }

            @Override
            public List<Long> pids()
            {
                return procs.stream().map(Proc::pid).toList();
            }

            @Override
            public void close()
            {
                if (!heartbeats.isEmpty())
                {
                    try
                    {
                        cluster.heartbeat(List.of());
                    }
                    catch (Exception e)
                    {
                        // the cluster is going away too
                    }
                }
                procs.forEach(Proc::close);
            }
        };
        try
        {
            String slug = label.replaceAll("[^A-Za-z0-9]+", "-");
            for (int i = 0; i < count; i++)
            {
                int port = Env.freeTcpPort();
                Path dir = env.out.resolve("peers").resolve(slug + "-" + (i + 1));
                PeerConfig config = factory.make(dir, port, backends);
                configs.add(config);
                procs.add(Proc.start(slug + "-" + (i + 1), cpus, config.write(), env.logs, false));
                Env.awaitPort(label, port, Duration.ofSeconds(20));
                entries.add("http://127.0.0.1:" + port + "/");
                if (config.heartbeatUrl() != null)
                    heartbeats.add(config.heartbeatUrl());
            }
            if (!heartbeats.isEmpty())
                cluster.heartbeat(heartbeats);
            for (String entry : entries)
                Coverage.await(label, entry, backends);
            for (Proc p : procs)
            {
                if (!p.isAlive())
                    throw new IllegalStateException(label + " stopped at once; see " + p.log());
            }
            return running;
        }
        catch (Exception e)
        {
            running.close();
            throw e;
        }
    }
}
