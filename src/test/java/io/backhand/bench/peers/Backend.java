package io.backhand.bench.peers;

/** Where a peer balancer sends traffic: one application node. */
public record Backend(String name, String host, int port)
{
    public String hostPort()
    {
        return host + ":" + port;
    }
}
