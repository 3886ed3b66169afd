package io.backhand.cluster;

import java.util.List;

/**
 * An immutable snapshot of the cluster: every member this node currently believes in, itself included.
 * The request path reads the newest snapshot with one volatile read and never waits on the stats plane.
 *
 * @param members       all members, sorted by name for a stable display; this node is among them
 * @param self          this node
 * @param takenAtNanos  when the snapshot was made
 * @param maxArriba     the fastest member's arriba, the reference for speed-normalised load
 * @param loadHighWater1000 the cluster's load high-water mark x1000, a power of two, at least 1000
 * @param loneReason    why no peer can appear (for example AcceptStats is empty), or null
 */
public record ClusterView(List<Member> members, Member self, long takenAtNanos, int maxArriba, int loadHighWater1000,
                          String loneReason)
{
    public ClusterView
    {
        members = List.copyOf(members);
    }

    public Member byName(String name)
    {
        for (Member m : members)
        {
            if (m.name().equals(name))
                return m;
        }
        return null;
    }

    public int size()
    {
        return members.size();
    }
}
