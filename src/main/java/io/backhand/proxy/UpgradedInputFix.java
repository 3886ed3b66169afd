package io.backhand.proxy;

import java.lang.reflect.Field;
import java.lang.reflect.Method;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works around Jetty 12.1's Servlet upgrade for requests without a body (every WebSocket handshake): the
 * connection parses the request's end as soon as it parses its head, and keeps that end-of-content in the
 * request's stream; after the upgrade the upgraded input stream finds it first and reports the client's side
 * as closed before a byte of the new protocol is read. Forgetting that stale end lets the input read on into
 * the upgraded connection, as the Servlet specification means it to.
 *
 * <p>The container's classes are hidden from the webapp (and the WAR carries its own copies of some), so the
 * container's objects are reached through their own classes, by reflection: the request's connection, its
 * channel, the channel's stream, and the stream's pending chunk, which is cleared only when it is exactly an
 * empty end of content. If the container is not the one this was written for, nothing is changed and
 * {@link #apply} says so.</p>
 */
final class UpgradedInputFix
{
    private static final Logger LOG = LoggerFactory.getLogger("backhand.tunnel");

    private UpgradedInputFix()
    {
    }

    /** @return false if the stale end could not be found; the client's side of the tunnel will then end at once */
    static boolean apply(ServletRequest request)
    {
        try
        {
            ServletRequest r = request;
            while (r instanceof ServletRequestWrapper w)
                r = w.getRequest();
            Object core = call(r, "getRequest");
            Object metaData = call(core, "getConnectionMetaData");
            Object connection = call(metaData, "getConnection");
            Object channel = call(connection, "getHttpChannel");
            Object stream = call(channel, "getHttpStream");
            for (int depth = 0; stream != null && depth < 8; depth++)
            {
                Field chunk = field(stream.getClass(), "_chunk");
                if (chunk != null)
                {
                    chunk.setAccessible(true);
                    Object pending = chunk.get(stream);
                    if (pending != null && Boolean.TRUE.equals(call(pending, "isLast"))
                        && Boolean.FALSE.equals(call(pending, "hasRemaining")))
                        chunk.set(stream, null);
                    return true;
                }
                // A stream wrapped by a handler (statistics, events): the connection's own is inside.
                stream = call(stream, "getWrapped");
            }
            LOG.warn("Cannot find the request stream of {}; upgraded connections will end at once", connection);
        }
        catch (ReflectiveOperationException | RuntimeException e)
        {
            LOG.warn("Cannot prepare the upgraded connection's input: {}", e.toString());
        }
        return false;
    }

    private static Field field(Class<?> type, String name)
    {
        for (Class<?> c = type; c != null; c = c.getSuperclass())
        {
            try
            {
                return c.getDeclaredField(name);
            }
            catch (NoSuchFieldException e)
            {
                // look further up
            }
        }
        return null;
    }

    private static Object call(Object target, String name) throws ReflectiveOperationException
    {
        if (target == null)
            return null;
        for (Method m : target.getClass().getMethods())
        {
            if (m.getName().equals(name) && m.getParameterCount() == 0)
            {
                // Public methods of the container's non-public classes (a connection's inner stream) need this.
                m.setAccessible(true);
                return m.invoke(target);
            }
        }
        return null;
    }
}
