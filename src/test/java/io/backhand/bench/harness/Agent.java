package io.backhand.bench.harness;

import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.backhand.bench.load.LoadAgent;
import io.backhand.bench.load.LoadSpec;
import io.backhand.bench.load.StreamResult;

/** The load generator JVM ({@link LoadAgent}) as the harness drives it. */
final class Agent implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Proc proc;

    Agent(Env env) throws Exception
    {
        proc = env.startJava("load-agent", null, LoadAgent.class.getName(), List.of(), false);
        proc.await("READY", Duration.ofSeconds(60));
    }

    List<StreamResult> run(LoadSpec spec) throws Exception
    {
        proc.send(JSON.writeValueAsString(spec));
        Duration limit = Duration.ofMillis(spec.warmupMillis() + spec.durationMillis() + 2 * spec.timeoutMillis() + 60_000);
        return JSON.readValue(proc.await("RESULT ", limit), new TypeReference<List<StreamResult>>() {});
    }

    long pid()
    {
        return proc.pid();
    }

    @Override
    public void close()
    {
        proc.close();
    }
}
