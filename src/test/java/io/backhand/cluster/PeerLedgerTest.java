package io.backhand.cluster;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What each way a request can end does to a peer's books. */
class PeerLedgerTest
{
    @Test
    void aCancelledReservationGivesBackTheCountAndRecordsNoOutcome()
    {
        PeerLedger ledger = new PeerLedger();
        PeerLedger.Period p = ledger.requestStarted();
        assertEquals(1, ledger.inFlight());
        assertEquals(1, ledger.sentSinceAnnouncement());
        ledger.requestCancelled(p);
        assertEquals(0, ledger.inFlight());
        assertEquals(0, ledger.sentSinceAnnouncement());
        assertEquals(0, ledger.failedCount(), "never sent to the peer: not its failure");
        assertEquals(0, ledger.proxiedCount());
        assertEquals(0, ledger.retriedCount());
    }

    @Test
    void endedRetriedAndFailedEachCountOnce()
    {
        PeerLedger ledger = new PeerLedger();
        ledger.requestEnded(ledger.requestStarted(), 1_000_000, true);
        ledger.requestEnded(ledger.requestStarted(), 0, false);
        ledger.requestRetriedElsewhere(ledger.requestStarted());
        assertEquals(0, ledger.inFlight());
        assertEquals(1, ledger.proxiedCount());
        assertEquals(1, ledger.failedCount());
        assertEquals(1, ledger.retriedCount());
    }
}
