package io.backhand.web;

import io.backhand.cluster.Endpoints;
import io.backhand.cluster.Member;

/** How a member's contact address is written in messages and URLs. */
final class ProxyTargets
{
    private ProxyTargets()
    {
    }

    static String format(Member m)
    {
        return Endpoints.format(m.contact().getAddress(), m.contact().getPort());
    }
}
