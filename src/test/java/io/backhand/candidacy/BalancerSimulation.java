package io.backhand.candidacy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

import io.backhand.cluster.ClusterTable;
import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;
import io.backhand.cluster.PeerLedger;
import io.backhand.stats.ServerStats;

/**
 * Several balancers in front of a few backends, on a simulated clock: Poisson arrivals split evenly between the
 * balancers, backends with a fixed number of workers and exponential service times (the benchmark harness's
 * backends, without the machine's noise), each announcing its busy count to every balancer's real
 * {@link ClusterTable} once a second. Each balancer decides with a real parsed chain over its own view and keeps
 * its real {@link PeerLedger}s, so that what a function reads is what it would read in production, only
 * without network delay. Deterministic for a seed.
 */
public final class BalancerSimulation
{
    private static final long MS = 1_000_000;
    private static final long INTERVAL = 1000 * MS;

    private final int[] workers;
    private final double[] meanMs;
    private final int balancers;
    private final Chain chain;

    public BalancerSimulation(String chain, int balancers, int[] workers, double[] meanMs) throws ChainException
    {
        this.chain = ChainParser.standard().parse("removeSelf\n" + chain.replace(';', '\n'));
        this.balancers = balancers;
        this.workers = workers;
        this.meanMs = meanMs;
    }

    /** Cluster capacity in requests per second. */
    public double capacity()
    {
        double c = 0;
        for (int j = 0; j < workers.length; j++)
            c += workers[j] * 1000.0 / meanMs[j];
        return c;
    }

    private record Event(long at, int kind, int who, Object request) implements Comparable<Event>
    {
        @Override
        public int compareTo(Event o)
        {
            return Long.compare(at, o.at);
        }
    }

    private static final int ARRIVAL = 0;
    private static final int DONE = 1;
    private static final int ANNOUNCE = 2;
    private static final int DELIVER = 3;
    private static final int DIRECT = 4;

    /** Up to how long an announcement takes to reach each balancer (uniformly drawn), in ms; 0 by default. */
    private double lagMs;

    public BalancerSimulation lag(double ms)
    {
        lagMs = ms;
        return this;
    }

    /** Requests per second sent straight to the first backend, past every balancer; 0 by default. */
    private double directRate;

    public BalancerSimulation direct(double perSecond)
    {
        directRate = perSecond;
        return this;
    }

    private static final class Request
    {
        long sentAt;
        PeerLedger ledger;
        PeerLedger.Period period;
        int backend;
    }

    /** Response times in ms of the requests sent after {@code warmupSeconds}, sorted. */
    public double[] run(double load, double seconds, double warmupSeconds, long seed) throws Exception
    {
        SplittableRandom random = new SplittableRandom(seed);
        int n = workers.length;
        ClusterTable[] tables = new ClusterTable[balancers];
        long t0 = 1_000_000_000_000L;
        for (int i = 0; i < balancers; i++)
        {
            ServerStats self = ServerStats.builder().name("lb" + i).hostname("lb" + i).contactAddress(address(200 + i))
                .contactPort(9000).startedAtMillis(1).sequence(1).build();
            tables[i] = new ClusterTable(self, new InetSocketAddress(address(200 + i), 9000), Long.MAX_VALUE / 4, 0, 0,
                null, t0);
        }
        int[] busy = new int[n];
        List<ArrayDeque<Request>> queues = new ArrayList<>();
        for (int j = 0; j < n; j++)
            queues.add(new ArrayDeque<>());
        long[] sequence = new long[n];
        PriorityQueue<Event> events = new PriorityQueue<>();
        double ratePerBalancer = load * capacity() / balancers;
        for (int i = 0; i < balancers; i++)
            events.add(new Event(t0 + exp(random, 1e9 / ratePerBalancer), ARRIVAL, i, null));
        for (int j = 0; j < n; j++)
        {
            announce(tables, j, 0, ++sequence[j], t0);
            events.add(new Event(t0 + (long) (random.nextDouble() * INTERVAL), ANNOUNCE, j, null));
        }
        if (directRate > 0)
            events.add(new Event(t0 + exp(random, 1e9 / directRate), DIRECT, 0, null));
        long end = t0 + (long) (seconds * 1e9);
        long measureFrom = t0 + (long) (warmupSeconds * 1e9);
        double[] latencies = new double[1024];
        int count = 0;
        Candidates candidates = new Candidates();
        DecisionContext ctx = new DecisionContext();
        while (!events.isEmpty())
        {
            Event e = events.poll();
            long now = e.at;
            if (e.kind == DIRECT)
            {
                if (now > end)
                    continue;
                events.add(new Event(now + exp(random, 1e9 / directRate), DIRECT, 0, null));
                Request r = new Request();
                r.sentAt = now;
                r.backend = 0;
                if (busy[0] < workers[0])
                {
                    busy[0]++;
                    events.add(new Event(now + exp(random, meanMs[0] * MS), DONE, 0, r));
                }
                else
                {
                    queues.get(0).add(r);
                }
            }
            else if (e.kind == ARRIVAL)
            {
                if (now > end)
                    continue;
                events.add(new Event(now + exp(random, 1e9 / ratePerBalancer), ARRIVAL, e.who, null));
                ClusterView view = tables[e.who].view();
                Decision d = chain.decide(view, candidates, RequestView.NONE, ctx.set(now, random, view, true), 1);
                Member target = d.target();
                Request r = new Request();
                r.sentAt = now;
                r.ledger = target.ledger();
                r.period = r.ledger.requestStarted();
                r.backend = Integer.parseInt(target.name().substring(1));
                if (busy[r.backend] < workers[r.backend])
                {
                    busy[r.backend]++;
                    events.add(new Event(now + exp(random, meanMs[r.backend] * MS), DONE, r.backend, r));
                }
                else
                {
                    queues.get(r.backend).add(r);
                }
            }
            else if (e.kind == DONE)
            {
                Request r = (Request) e.request;
                if (r.ledger != null)
                {
                    r.ledger.requestCancelled(r.period);
                    r.ledger.ewma().record(now - r.sentAt, now);
                }
                if (r.sentAt >= measureFrom)
                {
                    if (count == latencies.length)
                        latencies = Arrays.copyOf(latencies, count * 2);
                    latencies[count++] = (now - r.sentAt) / 1e6;
                }
                Request next = queues.get(e.who).poll();
                if (next == null)
                    busy[e.who]--;
                else
                    events.add(new Event(now + exp(random, meanMs[e.who] * MS), DONE, e.who, next));
            }
            else if (e.kind == DELIVER)
            {
                int[] a = (int[]) e.request;
                announce(new ClusterTable[] {tables[a[0]]}, e.who, a[1], a[2], now);
            }
            else if (now <= end)
            {
                long seq = ++sequence[e.who];
                int inFlight = busy[e.who] + queues.get(e.who).size();
                if (lagMs == 0)
                    announce(tables, e.who, inFlight, seq, now);
                else
                {
                    for (int i = 0; i < balancers; i++)
                        events.add(new Event(now + 1 + (long) (random.nextDouble() * lagMs * MS), DELIVER, e.who,
                            new int[] {i, inFlight, (int) seq}));
                }
                events.add(new Event(now + INTERVAL, ANNOUNCE, e.who, null));
            }
        }
        double[] out = Arrays.copyOf(latencies, count);
        Arrays.sort(out);
        return out;
    }

    private void announce(ClusterTable[] tables, int backend, int inFlight, long sequence, long now)
        throws UnknownHostException
    {
        ServerStats s = ServerStats.builder().name("b" + backend).hostname("b" + backend).contactPort(8000 + backend)
            .startedAtMillis(1).sequence(sequence).totalWorkers(workers[backend])
            .inFlight(inFlight).build();
        for (ClusterTable t : tables)
        {
            t.offer(s, address(10 + backend), now, 0);
            t.publishNow(now);
        }
    }

    public static double percentile(double[] sorted, double p)
    {
        return sorted.length == 0 ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    private static long exp(SplittableRandom r, double mean)
    {
        return Math.max(1, Math.round(-Math.log(1 - r.nextDouble()) * mean));
    }

    private static InetAddress address(int k) throws UnknownHostException
    {
        return InetAddress.getByAddress(new byte[] {127, 0, 1, (byte) k});
    }
}
