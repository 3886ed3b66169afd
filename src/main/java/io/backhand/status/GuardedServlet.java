package io.backhand.status;

import io.backhand.node.Backhand;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet of the status pages: every method of every request is checked against {@link StatusAccess} before
 * it is served, so that no page can forget the rule, and a subclass starts from its context's Backhand.
 */
abstract class GuardedServlet extends HttpServlet
{
    private static final long serialVersionUID = 1L;
    private transient StatusAccess access;

    @Override
    public final void init() throws ServletException
    {
        Backhand backhand = Backhand.of(getServletContext());
        access = new StatusAccess(backhand.settings().statusAccess(), backhand.marker());
        start(backhand);
    }

    /** What {@link #init()} would do, once the access rule is in place. */
    protected abstract void start(Backhand backhand) throws ServletException;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException
    {
        if (access.check(request, response))
            super.service(request, response);
    }
}
