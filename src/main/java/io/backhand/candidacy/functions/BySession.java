package io.backhand.candidacy.functions;

import java.net.Inet4Address;
import java.net.InetAddress;

import io.backhand.candidacy.Arguments;
import io.backhand.candidacy.CandidacyFunction;
import io.backhand.candidacy.Candidates;
import io.backhand.candidacy.ChainException;
import io.backhand.candidacy.DecisionContext;
import io.backhand.candidacy.RequestView;
import io.backhand.cluster.Member;

/**
 * {@code bySession [name=JSESSIONID]}: session affinity. The session id is taken from the cookie, else the
 * query parameter, else the {@code ;name=} path parameter, and names its owner in either convention:
 * <ul>
 * <li>Jetty's: the text after the last '.' is the owner's worker name, which every node announces;</li>
 * <li>mod_backhand's: the id starts with the owner's IPv4 address as 8 hex digits ({@code 7f000001...}).</li>
 * </ul>
 * The owner moves to the front when it is among the candidates (and is pinned, so it gets the request even
 * while draining); otherwise the list is unchanged. Put it after the filters that must always apply
 * ({@code byAge}) and before the rankings, or the ranking after it would move the owner away again.
 */
public final class BySession implements CandidacyFunction
{
    private final String name;

    public BySession(String name)
    {
        this.name = name;
    }

    public static BySession create(Arguments a) throws ChainException
    {
        a.atMost(1, "bySession [cookie-name]");
        String name = a.count() == 0 ? "JSESSIONID" : a.word(0);
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+"))
            throw new ChainException(a.line(), name, "bySession expects a cookie name (letters, digits and -._)");
        return new BySession(name);
    }

    static String sessionId(RequestView r, String name)
    {
        String id = r.cookie(name);
        if (id == null || id.isEmpty())
            id = r.queryParameter(name);
        if (id == null || id.isEmpty())
            id = r.pathParameter(name);
        return id == null || id.isEmpty() ? null : id;
    }

    @Override
    public void apply(Candidates c, RequestView request, DecisionContext ctx)
    {
        String id = sessionId(request, name);
        if (id == null)
            return;
        int owner = findByWorkerName(c, id);
        if (owner < 0)
            owner = findByHexAddress(c, id);
        if (owner < 0)
            return;
        c.pin(c.get(owner));
        c.moveToFront(owner);
    }

    private static int findByWorkerName(Candidates c, String id)
    {
        int dot = id.lastIndexOf('.');
        if (dot < 0 || dot == id.length() - 1)
            return -1;
        int length = id.length() - dot - 1;
        for (int i = 0; i < c.size(); i++)
        {
            String worker = c.get(i).stats().workerName();
            if (worker.length() == length && id.regionMatches(dot + 1, worker, 0, length))
                return i;
        }
        return -1;
    }

    /**
     * mod_backhand's convention names a host, not a server: when several candidates share the address (several
     * nodes on one machine) the owner cannot be told apart, and the list is left alone rather than guessed.
     */
    private static int findByHexAddress(Candidates c, String id)
    {
        if (id.length() < 8)
            return -1;
        int ip = 0;
        for (int k = 0; k < 8; k++)
        {
            int d = Character.digit(id.charAt(k), 16);
            if (d < 0)
                return -1;
            ip = ip << 4 | d;
        }
        int found = -1;
        for (int i = 0; i < c.size(); i++)
        {
            Member m = c.get(i);
            if (matches(m.contact().getAddress(), ip) || (m.source() != null && matches(m.source(), ip)))
            {
                if (found >= 0)
                    return -1;
                found = i;
            }
        }
        return found;
    }

    private static boolean matches(InetAddress a, int ip)
    {
        if (!(a instanceof Inet4Address))
            return false;
        byte[] b = a.getAddress();
        int v = (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
        return v == ip;
    }
}
