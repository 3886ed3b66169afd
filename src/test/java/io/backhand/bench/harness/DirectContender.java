package io.backhand.bench.harness;

import java.util.List;

import io.backhand.bench.peers.Backend;

/** No balancer: the client talks to the first backend itself (the baseline of the proxy-overhead scenario). */
record DirectContender() implements Contender
{
    @Override
    public String label()
    {
        return "direct";
    }

    @Override
    public Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus)
    {
        List<String> entries = List.of("http://" + backends.get(0).hostPort() + "/");
        return new Started(entries, List.of(), () -> { });
    }
}
