package io.backhand.candidacy;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import io.backhand.cluster.ClusterView;
import io.backhand.cluster.Member;

/**
 * The working list of one decision: the servers still in the running, in order of preference, plus what
 * functions may say beyond the order (redirect instead of proxy, never serve locally, a pinned session
 * owner). It is a reusable buffer: one per thread, reset for every decision, so that deciding does not
 * allocate.
 */
public final class Candidates
{
    private Member[] items = new Member[16];
    private double[] keys = new double[16];
    private int size;
    private Redirect redirect;
    private boolean neverLocal;
    private Member pinned;
    /** The members this decision may choose from: {@link #add} refuses anything else. */
    private List<Member> universe = List.of();

    /** Starts a decision with every member of the view that has not refused a connection since it last announced. */
    public Candidates reset(ClusterView view)
    {
        List<Member> members = view.members();
        ensureCapacity(members.size());
        size = 0;
        for (int i = 0; i < members.size(); i++)
        {
            Member m = members.get(i);
            if (!m.ledger().isDown() || m.isSelf())
                items[size++] = m;
        }
        universe = members;
        clearOutcome();
        return this;
    }

    /** Starts a decision from an explicit list; for tests and benchmarks. Only these members may be added. */
    public Candidates reset(List<Member> members)
    {
        ensureCapacity(members.size());
        size = 0;
        for (Member m : members)
            items[size++] = m;
        universe = members;
        clearOutcome();
        return this;
    }

    private void clearOutcome()
    {
        for (int i = size; i < items.length && items[i] != null; i++)
            items[i] = null;
        redirect = null;
        neverLocal = false;
        pinned = null;
    }

    private void ensureCapacity(int n)
    {
        if (items.length < n + 1)
        {
            int cap = Math.max(n + 1, items.length * 2);
            items = java.util.Arrays.copyOf(items, cap);
            keys = java.util.Arrays.copyOf(keys, cap);
        }
    }

    public int size()
    {
        return size;
    }

    public boolean isEmpty()
    {
        return size == 0;
    }

    public Member get(int i)
    {
        if (i >= size)
            throw new IndexOutOfBoundsException(i);
        return items[i];
    }

    public Member first()
    {
        return size == 0 ? null : items[0];
    }

    public int indexOf(Member m)
    {
        for (int i = 0; i < size; i++)
        {
            if (items[i] == m)
                return i;
        }
        return -1;
    }

    public int indexOfSelf()
    {
        for (int i = 0; i < size; i++)
        {
            if (items[i].isSelf())
                return i;
        }
        return -1;
    }

    /** Removes the candidate at {@code i}, keeping the order of the others. */
    public void remove(int i)
    {
        System.arraycopy(items, i + 1, items, i, size - i - 1);
        // Keys travel with their candidates, so that a traced decision shows each server's own figure.
        System.arraycopy(keys, i + 1, keys, i, size - i - 1);
        items[--size] = null;
    }

    /** Keeps the first {@code n} candidates (the session owner, if pinned, among them). */
    public void truncate(int n)
    {
        if (n > 0)
            keepPinnedFirst();
        for (int i = n; i < size; i++)
            items[i] = null;
        size = Math.min(size, n);
    }

    /**
     * Appends a member of the decision's view (for {@code addSelf}, this node). Anything else is refused: only
     * servers in the cluster view can ever be targets, so that no function, plug-ins included, can turn the
     * balancer into an open proxy.
     *
     * @throws IllegalArgumentException when {@code m} is not in the view this decision started from, or is
     *                                  already a candidate
     */
    public void add(Member m)
    {
        if (!universe.contains(m))
            throw new IllegalArgumentException(m + " is not in the cluster view; candidacy functions may only "
                + "reorder, drop, or re-add members of the view");
        if (indexOf(m) >= 0)
            throw new IllegalArgumentException(m + " is already a candidate");
        ensureCapacity(size + 1);
        items[size++] = m;
    }

    public void moveToFront(int i)
    {
        Member m = items[i];
        double k = keys[i];
        System.arraycopy(items, 0, items, 1, i);
        System.arraycopy(keys, 0, keys, 1, i);
        items[0] = m;
        keys[0] = k;
    }

    /** Fisher-Yates shuffle with the decision's random source. */
    public void shuffle(RandomGenerator random)
    {
        for (int i = size - 1; i > 0; i--)
        {
            int j = random.nextInt(i + 1);
            Member t = items[i];
            items[i] = items[j];
            items[j] = t;
        }
        keepPinnedFirst();
    }

    /**
     * The sort key slots: a function writes {@code keys()[i]} for each candidate {@code i} and then calls
     * {@link #sortByKeys()}.
     */
    public double[] keys()
    {
        return keys;
    }

    /** Empties the key slots of the current candidates (NaN), before a traced function runs. */
    void clearKeys()
    {
        java.util.Arrays.fill(keys, Double.NaN);
    }

    /**
     * Stable sort by key, smallest first. Stability matters: after {@code byRandom} ties stay in random
     * order, which is how mod_backhand chains spread equal servers. Insertion sort, because lists are short
     * (especially after byLogWindow) and it allocates nothing.
     */
    public void sortByKeys()
    {
        for (int i = 1; i < size; i++)
        {
            double k = keys[i];
            Member m = items[i];
            int j = i - 1;
            while (j >= 0 && keys[j] > k)
            {
                keys[j + 1] = keys[j];
                items[j + 1] = items[j];
                j--;
            }
            keys[j + 1] = k;
            items[j + 1] = m;
        }
        keepPinnedFirst();
    }

    /**
     * Once {@code bySession} has found the request's owner, reorderings and windows after it keep the owner
     * first, so that affinity does not depend on where bySession stands among the rankings. Filters can
     * still drop the owner (a stale or removed server gets no request, session or not).
     */
    private void keepPinnedFirst()
    {
        if (pinned == null || size == 0 || items[0] == pinned)
            return;
        int i = indexOf(pinned);
        if (i > 0)
            moveToFront(i);
    }

    public Redirect redirect()
    {
        return redirect;
    }

    public void redirect(Redirect r)
    {
        redirect = r;
    }

    public boolean neverLocal()
    {
        return neverLocal;
    }

    /** Set by the chain, from what its functions declare ({@link CandidacyFunction#localServing()}). */
    void neverLocal(boolean v)
    {
        neverLocal = v;
    }

    /**
     * The owner of the request's session, which may be chosen even while it drains, and which later
     * reorderings keep first.
     */
    public Member pinned()
    {
        return pinned;
    }

    public void pin(Member m)
    {
        pinned = m;
    }

    public List<Member> toList()
    {
        List<Member> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++)
            out.add(items[i]);
        return out;
    }
}
