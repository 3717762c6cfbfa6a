namespace PSNetLab.Servers
{
    public enum ServerStatus
    {
        NotStarted,
        Running,
        Stopped,
        Failed,
    }
}
