package io.backhand.stats;

/** Measures this machine's arriba once, as a node starting up does, and prints it: one JVM per measurement. */
public final class ArribaProbe
{
    private ArribaProbe()
    {
    }

    public static void main(String[] args)
    {
        Arriba.Measurement m = Arriba.measureCarefully();
        System.out.println("ARRIBA " + m.arriba() + " " + m.settled());
    }
}
