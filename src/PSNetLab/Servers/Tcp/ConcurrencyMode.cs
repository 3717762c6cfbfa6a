namespace PSNetLab.Servers.Tcp
{
    /// <summary>The seeds' three TCP servers: one client at a time, a thread per client, a process per client.</summary>
    public enum ConcurrencyMode
    {
        Iterative,
        Thread,
        Process,
    }
}
