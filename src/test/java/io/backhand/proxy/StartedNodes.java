package io.backhand.proxy;

import java.util.ArrayList;

import io.backhand.demo.EmbeddedNode;
import io.backhand.testing.Closing;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The nodes one test started, closed when the test ends, pass or fail: registered as an extension so that no
 * test class can forget to close what it started.
 */
final class StartedNodes extends ArrayList<EmbeddedNode> implements AfterEachCallback
{
    private static final long serialVersionUID = 1L;

    @Override
    public void afterEach(ExtensionContext context)
    {
        Closing.closeAll(this);
        clear();
    }
}
