package io.backhand.stats;

/** The two mod_backhand figures about this node's own balancing work. */
public interface ProxyTotals
{
    long requestsBackhanded();

    int avgServeMicros();

    ProxyTotals NONE = new ProxyTotals()
    {
        @Override
        public long requestsBackhanded()
        {
            return 0;
        }

        @Override
        public int avgServeMicros()
        {
            return 0;
        }
    };
}
