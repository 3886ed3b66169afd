package io.backhand.bench.harness;

import java.util.List;

import io.backhand.bench.load.StreamSpec;
import io.backhand.bench.peers.Backend;

/** A way of reaching the backends that a scenario compares: ours with some chain, a peer with some method, or none. */
interface Contender
{
    String label();

    /**
     * Starts {@code count} independent balancers of this kind in front of {@code backends}.
     *
     * @param cpus taskset CPU list for the balancers, or null to let the kernel place them
     */
    Running start(Env env, Cluster cluster, List<Backend> backends, int count, String cpus) throws Exception;

    interface Running extends AutoCloseable
    {
        /** One base URI (ending in "/") per balancer. */
        List<String> entries();

        /** The balancer processes (their descendants count too), for the CPU they spend; empty for none. */
        List<Long> pids();

        /** Poisson traffic at {@code rate} through balancer {@code balancer} to {@code path} (no leading slash). */
        default StreamSpec stream(String label, int balancer, String path, double rate)
        {
            return StreamSpec.open(label, List.of(entries().get(balancer) + path), rate, true);
        }

        @Override
        void close();
    }

    /** A {@link Running} that is no more than its entries, its pids and what stops it. */
    class Started implements Running
    {
        private final List<String> entries;
        private final List<Long> pids;
        private final Runnable stop;

        Started(List<String> entries, List<Long> pids, Runnable stop)
        {
            this.entries = entries;
            this.pids = pids;
            this.stop = stop;
        }

        @Override
        public List<String> entries()
        {
            return entries;
        }

        @Override
        public List<Long> pids()
        {
            return pids;
        }

        @Override
        public void close()
        {
            stop.run();
        }
    }
}
