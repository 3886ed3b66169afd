package io.backhand.netns;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Watches every node's status JSON every {@code period} and keeps every observation, so that the test can say
 * when each map became right after a fault, and that no map ever listed a host it must not.
 *
 * <p>Polls are asynchronous: a node that does not answer (cut off the LAN) never delays the polls that follow,
 * so its map is seen again as soon as it can be. An observation is timed by the node itself (the JSON's
 * {@code time}, taken when the map was read), not by when the answer crossed a busy machine.</p>
 */
public final class MapWatcher implements AutoCloseable
{
    /**
     * What one node's map said at one moment.
     *
     * @param atMillis     when the node read its map (or, for a failed poll, when the failure arrived)
     * @param members      server name to its advertised address, or empty when {@code ok} is false
     * @param foreign      the node's {@code statsPlane.dropped.foreign} counter
     * @param badSignature its {@code statsPlane.dropped.bad_signature} counter
     */
    public record Observation(String observer, long atMillis, boolean ok, Map<String, String> members, long foreign,
                              long badSignature, long accepted, long sentAtMillis, long receivedAtMillis, String problem)
    {
    }

    private static final int MAX_OUTSTANDING = 20;
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(3);

    private final ProbeClient probe;
    private final Map<String, URI> observers;
    private final Map<String, AtomicInteger> outstanding = new ConcurrentHashMap<>();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final Duration period;
    private final List<Observation> observations = Collections.synchronizedList(new ArrayList<>());
    private final Thread ticker;
    private volatile boolean running = true;

    public MapWatcher(ProbeClient probe, Map<String, URI> observers, Duration period)
    {
        this.probe = probe;
        this.observers = new LinkedHashMap<>(observers);
        this.period = period;
        observers.keySet().forEach(o -> outstanding.put(o, new AtomicInteger()));
        ticker = new Thread(this::tick, "map-watcher");
        ticker.setDaemon(true);
    }

    public MapWatcher start()
    {
        ticker.start();
        return this;
    }

    /** Stops polling one node for good, for example before it is killed: a dead host must not see our probes. */
    public void stopWatching(String observer)
    {
        stopped.add(observer);
    }

    private void tick()
    {
        long next = System.nanoTime();
        while (running)
        {
            for (Map.Entry<String, URI> e : observers.entrySet())
            {
                String observer = e.getKey();
                AtomicInteger busy = outstanding.get(observer);
                if (stopped.contains(observer) || busy.get() >= MAX_OUTSTANDING)
                    continue;
                busy.incrementAndGet();
                probe.getAsync(e.getValue(), POLL_TIMEOUT).whenComplete((r, failure) ->
                {
                    busy.decrementAndGet();
                    long now = System.currentTimeMillis();
                    observations.add(observe(observer, r != null ? r : new ProbeClient.Reply(-1, String.valueOf(failure), 0, now, now)));
                });
            }
            next += period.toNanos();
            long rest = next - System.nanoTime();
            if (rest > 0)
            {
                try
                {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                }
                catch (InterruptedException e)
                {
                    return;
                }
            }
        }
    }

    static Observation observe(String observer, ProbeClient.Reply r)
    {
        if (!r.ok())
            return new Observation(observer, r.receivedAtMillis(), false, Map.of(), 0, 0, 0, r.sentAtMillis(), r.receivedAtMillis(),
                r.status() + " " + r.body().lines().findFirst().orElse(""));
        try
        {
            JsonNode json = r.json();
            Map<String, String> members = new TreeMap<>();
            for (JsonNode s : json.get("servers"))
                members.put(s.get("name").asText(), s.get("address").asText());
            JsonNode dropped = json.get("statsPlane").get("dropped");
            long at = Instant.parse(json.get("time").asText()).toEpochMilli();
            return new Observation(observer, at, true, members, dropped.path("foreign").asLong(),
                dropped.path("bad_signature").asLong(), json.get("statsPlane").path("accepted").asLong(), r.sentAtMillis(),
                r.receivedAtMillis(), null);
        }
        catch (RuntimeException e)
        {
            return new Observation(observer, r.receivedAtMillis(), false, Map.of(), 0, 0, 0, r.sentAtMillis(), r.receivedAtMillis(),
                e.toString());
        }
    }

    /** Every observation as tab-separated lines, for whoever wants to see how a map changed. */
    public void dump(Path file) throws IOException
    {
        StringBuilder b = new StringBuilder("observer\tat\tok\tsent\treceived\tforeign\tbad_signature\tmembers\n");
        for (Observation o : all())
            b.append(o.observer()).append('\t').append(o.atMillis()).append('\t').append(o.ok()).append('\t').append(o.sentAtMillis())
                .append('\t').append(o.receivedAtMillis()).append('\t').append(o.foreign()).append('\t').append(o.badSignature())
                .append('\t').append(o.ok() ? o.members().toString() : o.problem()).append('\n');
        Files.writeString(file, b);
    }

    public List<Observation> all()
    {
        synchronized (observations)
        {
            return List.copyOf(observations);
        }
    }

    /** The newest successful observation of one node, by the node's own time. */
    public Observation latest(String observer)
    {
        Observation newest = null;
        for (Observation o : all())
        {
            if (o.observer().equals(observer) && o.ok() && (newest == null || o.atMillis() > newest.atMillis()))
                newest = o;
        }
        return newest;
    }

    /**
     * Waits until, for every one of {@code who}, an answer that arrived after {@code sinceMillis} satisfies
     * {@code right}, and returns, per observer, when its first such answer arrived.
     */
    public Map<String, Long> awaitRight(Set<String> who, long sinceMillis, Predicate<Map<String, String>> right,
                                        Duration timeout, String what)
    {
        long deadline = System.currentTimeMillis() + timeout.toMillis();
        while (true)
        {
            Map<String, Long> first = firstRight(who, sinceMillis, right);
            if (first.size() == who.size())
                return first;
            if (System.currentTimeMillis() > deadline)
            {
                StringBuilder b = new StringBuilder("timed out after " + timeout + " waiting for " + what + "; right so far: "
                    + first.keySet() + "; latest maps:");
                for (String o : who)
                {
                    Observation l = latest(o);
                    b.append("\n  ").append(o).append(": ").append(l == null ? "no answer" : l.members());
                }
                throw new AssertionError(b.toString());
            }
            try
            {
                Thread.sleep(20);
            }
            catch (InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Per observer, the earliest moment after {@code sinceMillis} at which its map satisfied {@code right}. */
    public Map<String, Long> firstRight(Set<String> who, long sinceMillis, Predicate<Map<String, String>> right)
    {
        Map<String, Long> first = new TreeMap<>();
        for (Observation o : all())
        {
            if (o.ok() && o.atMillis() > sinceMillis && who.contains(o.observer()) && right.test(o.members()))
                first.merge(o.observer(), o.atMillis(), Math::min);
        }
        return first;
    }

    /** Answers after {@code sinceMillis} (and before {@code untilMillis}) whose map does not satisfy {@code right}. */
    public List<Observation> wrongBetween(Set<String> who, long sinceMillis, long untilMillis, Predicate<Map<String, String>> right)
    {
        List<Observation> wrong = new ArrayList<>();
        for (Observation o : all())
        {
            if (o.ok() && o.atMillis() > sinceMillis && o.atMillis() < untilMillis && who.contains(o.observer())
                && !right.test(o.members()))
                wrong.add(o);
        }
        return wrong;
    }

    @Override
    public void close()
    {
        running = false;
        ticker.interrupt();
        try
        {
            ticker.join(3000);
        }
        catch (InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
