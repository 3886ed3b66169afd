package io.backhand.cluster;

/**
 * What the {@link ClusterTable} requires of an announcement beyond a valid datagram from inside AcceptStats.
 *
 * @param memberAddresses where a member's contact may lie, or null for anywhere; requests go to that address,
 *                        so a forged announcement must not be able to point them outside the cluster
 * @param holdNamesNanos  how long a name stays with the source it was last heard from: another source may
 *                        announce it only once it has been silent this long (stale). 0 turns it off, as with a
 *                        secret, where the signature says who may use a name
 * @param newNames        how many new names one source may add, or null for no limit (with a secret)
 */
public record Admission(AcceptStats memberAddresses, long holdNamesNanos, NewNameBudget newNames)
{
    /** No rule beyond the table's own: for tests and benchmarks of the table alone. */
    public static final Admission OPEN = new Admission(null, 0, null);

    /**
     * The rules a node applies. With a secret only the contact range: a node holding the key is trusted with
     * its name. Without one, names are also held by their source until stale and new names are rationed.
     */
    public static Admission of(AcceptStats memberAddresses, boolean signed, long staleAfterNanos)
    {
        return signed ? new Admission(memberAddresses, 0, null)
            : new Admission(memberAddresses, staleAfterNanos, new NewNameBudget());
    }
}
