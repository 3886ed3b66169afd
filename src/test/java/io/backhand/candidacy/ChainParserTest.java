package io.backhand.candidacy;

import java.util.List;

import io.backhand.candidacy.functions.ByAge;
import io.backhand.candidacy.functions.ByHostname;
import io.backhand.candidacy.functions.ByLoad;
import io.backhand.candidacy.functions.ByLogWindow;
import io.backhand.candidacy.functions.ByRandom;
import io.backhand.candidacy.functions.RemoveSelf;
import org.junit.jupiter.api.Test;

import static io.backhand.candidacy.TestCluster.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainParserTest
{
    private static Chain parse(String text) throws ChainException
    {
        return ChainParser.standard().parse(text);
    }

    private static List<Class<?>> types(Chain c)
    {
        return c.steps().stream().<Class<?>>map(s -> s.function().getClass()).toList();
    }

    @Test
    void theLinesOfARealModBackhandSetUpParseVerbatim() throws Exception
    {
        // seeds/000: the balancer's <Directory> block, as its operator wrote it.
        Chain c = parse("""
            Backhand removeSelf
            Backhand byAge 6
            Backhand byRandom
            Backhand byLogWindow
            Backhand byLoad
            """);
        assertEquals(List.of(RemoveSelf.class, ByAge.class, ByRandom.class, ByLogWindow.class, ByLoad.class), types(c));
        assertEquals(List.of(1, 2, 3, 4, 5), c.steps().stream().map(Chain.Step::line).toList());
        assertEquals("Backhand byAge 6", c.steps().get(1).text());
    }

    @Test
    void theLeadingBackhandIsOptionalAndCaseInsensitiveLikeAnApacheDirective() throws Exception
    {
        Chain c = parse("byAge 6\nBackHand byRandom\nbackhand byLogWindow\nBACKHAND byLoad 0.5");
        assertEquals(List.of(ByAge.class, ByRandom.class, ByLogWindow.class, ByLoad.class), types(c));
    }

    @Test
    void commentsBlankLinesAndIndentationAreIgnoredAndLineNumbersKept() throws Exception
    {
        Chain c = parse("""
            # the dedicated balancer

                Backhand removeSelf      # never serve here
            \tbyAge 6 # six seconds, as in the book

            byRandom
            """);
        assertEquals(List.of(RemoveSelf.class, ByAge.class, ByRandom.class), types(c));
        assertEquals(List.of(3, 4, 6), c.steps().stream().map(Chain.Step::line).toList());
        assertEquals("byAge 6", c.steps().get(1).text());
        // A # inside a word is not a comment, so a number glued to one is a bad number, said so.
        assertEquals("6#", error("byAge 6#").word());
    }

    @Test
    void aHashInsideAWordBelongsToItAsInApache() throws Exception
    {
        Chain c = parse("byHostname web#2");
        assertEquals("web#2", ((ByHostname) c.steps().get(0).function()).pattern().pattern());
    }

    @Test
    void aWholeChainFitsOnOneLineWithSemicolons() throws Exception
    {
        Chain c = parse("byAge 6; byRandom;byLogWindow ;  byLoad");
        assertEquals(List.of(ByAge.class, ByRandom.class, ByLogWindow.class, ByLoad.class), types(c));
        assertEquals(List.of("byAge 6", "byRandom", "byLogWindow", "byLoad"), c.steps().stream().map(Chain.Step::text).toList());
    }

    @Test
    void quotedArgumentsKeepBlanksHashesAndSemicolons() throws Exception
    {
        Chain c = parse("byHostname \"^(web|app) #1;\"\nbyHostname 'a b'");
        assertEquals("^(web|app) #1;", ((ByHostname) c.steps().get(0).function()).pattern().pattern());
        assertEquals("a b", ((ByHostname) c.steps().get(1).function()).pattern().pattern());
        assertTrue(error("byHostname 'a'b").problem().contains("expected a blank or ; after the closing '"));
        ChainException e = error("byHostname \"(sun|alpha)");
        assertEquals(1, e.line());
        assertTrue(e.problem().contains("never closed"), e.getMessage());
        Chain escaped = parse("byHostname \"say \\\"hi\\\"\"");
        assertEquals("say \"hi\"", ((ByHostname) escaped.steps().get(0).function()).pattern().pattern());
    }

    @Test
    void windowsLineEndsAreLines() throws Exception
    {
        assertEquals(List.of(1, 2), parse("byAge 6\r\nbyLoad\r\n").steps().stream().map(Chain.Step::line).toList());
    }

    @Test
    void anEmptyChainIsAnError()
    {
        for (String text : new String[] {"", "   \n\n", "# only a comment\n", ";;"})
        {
            ChainException e = error(text);
            assertTrue(e.problem().contains("the chain is empty; expected one candidacy function per line"), text);
        }
    }

    @Test
    void anUnknownFunctionIsNamedWithItsLineWhatIsKnownAndASuggestion()
    {
        ChainException e = error("byAge 6\n\nbyLaod");
        assertEquals(3, e.line());
        assertEquals("byLaod", e.word());
        assertTrue(e.problem().startsWith("unknown candidacy function; expected one of byAge, byRandom"), e.getMessage());
        assertTrue(e.problem().contains("(did you mean byLoad?)"), e.getMessage());
        assertTrue(e.getMessage().startsWith("line 3, 'byLaod': "), e.getMessage());
        ChainException caseOnly = error("Backhand byload");
        assertTrue(caseOnly.problem().contains("did you mean byLoad? names are case-sensitive"), caseOnly.getMessage());
        assertEquals("Backhand", error("Backhand").word());
    }

    @Test
    void missingAndExtraArgumentsAreNamed()
    {
        ChainException missing = error("byHostname");
        assertEquals("byHostname", missing.word());
        assertTrue(missing.problem().contains("missing argument; usage: byHostname regex"), missing.getMessage());
        ChainException extra = error("byLoad 0.5 0.6");
        assertEquals("0.6", extra.word());
        assertTrue(extra.problem().contains("byLoad takes at most 1 argument; usage: byLoad [bias]"), extra.getMessage());
        ChainException none = error("byRandom now");
        assertTrue(none.problem().contains("byRandom takes no arguments"), none.getMessage());
    }

    @Test
    void badNumbersAreNamedWithTheirRange()
    {
        for (String bad : new String[] {"six", "6s", "1e400", "Infinity", "NaN", "6d", "0x10", "-3", "100000"})
        {
            ChainException e = error("byAge " + bad);
            assertEquals(bad, e.word(), bad);
            assertTrue(e.problem().contains("byAge expects the largest age in seconds, a number from 0.001 to 86400"),
                e.getMessage());
        }
        assertTrue(error("byLoad 2").problem().contains("a number from 0 to 1"));
    }

    @Test
    void badRegularExpressionsAreNamed()
    {
        ChainException e = error("byHostname [a-");
        assertEquals("[a-", e.word());
        assertTrue(e.problem().startsWith("byHostname expects a regular expression: "), e.getMessage());
    }

    @Test
    void backhandFromSONamingAFunctionThatExistsHereMeansThatFunction() throws Exception
    {
        // The book's example: mod_backhand shipped byHostname only as a shared object.
        Chain c = parse("BackhandFromSO libexec/byHostname.so byHostname (sun|alpha)");
        assertInstanceOf(ByHostname.class, c.steps().get(0).function());
        assertEquals("(sun|alpha)", ((ByHostname) c.steps().get(0).function()).pattern().pattern());
        ChainException bad = error("BackhandFromSO libexec/byHostname.so byHostname (sun|alpha");
        assertEquals("(sun|alpha", bad.word());
    }

    @Test
    void backhandFromSOWithAnyOtherFunctionSaysHowToPortIt()
    {
        ChainException e = error("byAge 6\nBackhandFromSO libexec/byPerl.so byPerl Package::function");
        assertEquals(2, e.line());
        assertEquals("libexec/byPerl.so", e.word());
        assertTrue(e.problem().contains("shared objects cannot be loaded into a JVM"), e.getMessage());
        assertTrue(e.problem().contains("BackhandFromClass fully.qualified.ClassName [argument]"), e.getMessage());
        ChainException shortLine = error("BackhandFromSO libexec/byHostname.so");
        assertTrue(shortLine.problem().contains("expected BackhandFromSO path/to/module.so functionName [argument]"),
            shortLine.getMessage());
    }

    @Test
    void retiredModBackhandFunctionsSayWhatToDoInstead()
    {
        ChainException off = error("Backhand backhand_off");
        assertEquals("backhand_off", off.word());
        assertTrue(off.problem().contains("url-patterns"), off.getMessage());
        assertTrue(error("addPrediction").problem().contains("interpreted figures"));
    }

    @Test
    void aChainKeepsItsTextForTheStatusPage() throws Exception
    {
        Chain c = parse("Backhand byAge 6   # comment\nbyRandom");
        assertEquals("Backhand byAge 6\nbyRandom\n", c.text());
        assertNull(error("").word());
    }

    /** removeSelf bans serving here, a later addSelf lifts the ban: the filter reads this for loops. */
    @Test
    void neverLocalFollowsTheLastOfRemoveSelfAndAddSelf() throws ChainException
    {
        assertTrue(parse("removeSelf\nbyLoad").neverLocal());
        assertFalse(parse("removeSelf\nbyLoad\naddSelf").neverLocal());
        assertTrue(parse("addSelf\nremoveSelf").neverLocal());
        assertFalse(parse("byAge 6\nbyLoad").neverLocal());
    }

    /**
     * The ban is what a function declares, whoever wrote it: a plug-in that forbids serving here bans it like
     * removeSelf, and the candidates of every decision carry it.
     */
    @Test
    void neverLocalIsWhatTheFunctionsDeclare()
    {
        CandidacyFunction forbids = new CandidacyFunction()
        {
            @Override
            public void apply(Candidates candidates, RequestView request, DecisionContext context)
            {
            }

            @Override
            public LocalServing localServing()
            {
                return LocalServing.FORBIDDEN;
            }
        };
        CandidacyFunction silent = (c, r, x) -> { };
        assertTrue(new Chain(List.of(new Chain.Step(1, "forbids", forbids), new Chain.Step(2, "silent", silent))).neverLocal());
        assertFalse(new Chain(List.of(new Chain.Step(1, "silent", silent))).neverLocal());
        var view = TestCluster.create().self("s").view();
        Candidates c = new Candidates().reset(view);
        new Chain(List.of(new Chain.Step(1, "forbids", forbids))).run(c, RequestView.NONE, TestCluster.context(view));
        assertTrue(c.neverLocal());
    }
}
